/// A sensitive attribute: its name and one raw value (as text) per row.
public struct SensitiveAttribute: Sendable, Equatable {
  /// The attribute's name, e.g. `sex`.
  public let name: String
  /// The value for each row, e.g. `Female`.
  public let values: [String]

  public init(name: String, values: [String]) {
    self.name = name
    self.values = values
  }
}

/// An assignment of rows to groups: one sensitive attribute, or the intersection of several.
///
/// Groups are ordered as fairlearn's `MetricFrame.by_group` orders them: labels sort numerically
/// when every label of the attribute is a number, otherwise by Unicode code points (Python's
/// string order). An intersection holds the full cartesian product of the attributes' labels in
/// that order, including combinations no row has (their metrics are NaN, as in fairlearn).
public struct Grouping: Sendable, Equatable {
  /// `sex`, or `sex&race` for an intersection.
  public let name: String
  /// The attributes this grouping is made of, in order.
  public let attributeNames: [String]
  /// For each group, one label per attribute.
  public let groupLabels: [[String]]
  /// For each row, the index of its group in `groupLabels`.
  public let codes: [Int32]

  /// Number of groups (including empty intersection cells).
  public var groupCount: Int { groupLabels.count }

  /// A group's name: its labels joined by `&` (`Female&White`).
  public func groupName(_ group: Int) -> String { groupLabels[group].joined(separator: "&") }

  public init(name: String, attributeNames: [String], groupLabels: [[String]], codes: [Int32]) {
    precondition(codes.allSatisfy { $0 >= 0 && Int($0) < groupLabels.count },
                 "Grouping \(name): a row code lies outside 0..<\(groupLabels.count)")
    self.name = name
    self.attributeNames = attributeNames
    self.groupLabels = groupLabels
    self.codes = codes
  }

  /// The grouping by one attribute's distinct values.
  public init(_ attribute: SensitiveAttribute) {
    var codeOfLabel: [String: Int32] = [:]
    var firstSeen: [String] = []
    var provisional = [Int32](repeating: 0, count: attribute.values.count)
    for (row, value) in attribute.values.enumerated() {
      if let code = codeOfLabel[value] {
        provisional[row] = code
      } else {
        let code = Int32(firstSeen.count)
        codeOfLabel[value] = code
        firstSeen.append(value)
        provisional[row] = code
      }
    }
    let sorted = Grouping.sortedLabels(firstSeen)
    var finalCode = [Int32](repeating: 0, count: firstSeen.count)
    for (position, label) in sorted.enumerated() { finalCode[Int(codeOfLabel[label]!)] = Int32(position) }
    let codes = provisional.map { finalCode[Int($0)] }
    self.init(name: attribute.name, attributeNames: [attribute.name], groupLabels: sorted.map { [$0] }, codes: codes)
  }

  /// The intersection of several groupings over the same rows (full cartesian product of labels).
  public init(intersecting parts: [Grouping]) {
    precondition(parts.count >= 2, "Grouping(intersecting:): needs at least two groupings, got \(parts.count)")
    let rowCount = parts[0].codes.count
    precondition(parts.allSatisfy { $0.codes.count == rowCount },
                 "Grouping(intersecting:): groupings cover different numbers of rows \(parts.map { $0.codes.count })")
    let cellCount = parts.reduce(1) { $0.multipliedReportingOverflow(by: $1.groupCount).partialValue }
    precondition(cellCount <= 1 << 24, "Grouping(intersecting:): \(parts.map(\.groupCount)) groups make \(cellCount) cells; at most 2^24 are supported")
    var labels: [[String]] = [[]]
    var codes = [Int32](repeating: 0, count: rowCount)
    for part in parts {
      labels = labels.flatMap { prefix in part.groupLabels.map { prefix + $0 } }
      let width = Int32(part.groupCount)
      for row in 0..<rowCount { codes[row] = codes[row] &* width &+ part.codes[row] }
    }
    self.init(name: parts.map(\.name).joined(separator: "&"),
              attributeNames: parts.flatMap(\.attributeNames), groupLabels: labels, codes: codes)
  }

  /// Labels in fairlearn's order: numeric when all parse as numbers, else by code points.
  static func sortedLabels(_ labels: [String]) -> [String] {
    let numbers = labels.map { Double($0).flatMap { $0.isFinite ? $0 : nil } }
    if !labels.isEmpty, numbers.allSatisfy({ $0 != nil }) {
      return zip(labels, numbers).sorted { $0.1! < $1.1! || ($0.1! == $1.1! && $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars)) }.map(\.0)
    }
    return labels.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
  }

  /// Rows per group.
  public func groupSizes() -> [Int] {
    var sizes = [Int](repeating: 0, count: groupCount)
    for code in codes { sizes[Int(code)] += 1 }
    return sizes
  }
}
