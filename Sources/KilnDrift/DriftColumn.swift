/// One column to compare: its reference (training) values and its current values.
public struct DriftColumn: Sendable {
  public enum Values: Sendable {
    /// Numbers, in any order.
    case numeric(reference: [Double], current: [Double])
    /// Category codes indexing `categories` (codes outside it are ignored).
    case categorical(categories: [String], reference: [Int32], current: [Int32])
  }

  public var name: String
  public var values: Values

  public init(name: String, values: Values) {
    self.name = name
    self.values = values
  }
}

/// A sensitive attribute's group codes in the reference and the current batch (−1: missing).
public struct DriftGrouping: Sendable {
  public var name: String
  public var categories: [String]
  public var reference: [Int32]
  public var current: [Int32]

  public init(name: String, categories: [String], reference: [Int32], current: [Int32]) {
    self.name = name
    self.categories = categories
    self.reference = reference
    self.current = current
  }
}
