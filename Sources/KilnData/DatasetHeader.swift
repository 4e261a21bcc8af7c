/// The descriptive attributes at a dataset file's root.
public struct DatasetHeader: Codable, Sendable, Equatable {
  public var name: String
  public var version: String
  public var source: String
  public var license: String

  public init(name: String, version: String, source: String, license: String) {
    self.name = name
    self.version = version
    self.source = source
    self.license = license
  }
}

/// One sensitive attribute's stored values.
public struct SensitiveColumn: Sendable, Equatable {
  public var name: String
  /// Group names; codes index into them (−1 for missing or unmapped).
  public var categories: [String]
  public var codes: [Int32]
  public var isModelInput: Bool
  /// The raw column it was read from (informational).
  public var column: String

  public init(name: String, categories: [String], codes: [Int32], isModelInput: Bool, column: String) {
    self.name = name
    self.categories = categories
    self.codes = codes
    self.isModelInput = isModelInput
    self.column = column
  }
}

/// The label column: int32 class codes (binary, multiclass) or float32 targets (regression),
/// with the class names.
public struct LabelColumn: Sendable, Equatable {
  public var name: String
  public var kind: LabelKind
  /// Binary `[negative, positive]`; multiclass the K class names in code order; regression empty.
  public var classes: [String]
  /// Class codes (binary: 0 negative, 1 positive; multiclass 0..<K); empty for regression.
  public var codes: [Int32]
  /// Regression targets in raw units; empty for classification.
  public var targets: [Float]

  /// A classification label: binary for two classes, multiclass for more.
  public init(name: String, classes: [String], codes: [Int32]) {
    self.name = name
    kind = classes.count == 2 ? .binary : .multiclass
    self.classes = classes
    self.codes = codes
    targets = []
  }

  /// A regression label.
  public init(name: String, targets: [Float]) {
    self.name = name
    kind = .regression
    classes = []
    codes = []
    self.targets = targets
  }

  /// Values stored per row.
  public var count: Int { kind == .regression ? targets.count : codes.count }
}
