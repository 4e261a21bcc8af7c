/// Pre-processing by reweighing (Kamiran & Calders 2012, "Data preprocessing techniques for
/// classification without discrimination", KAIS 33:1–33; AIF360's `Reweighing`): each row of
/// group a and label y is weighted
///
///     w(a, y) = P(A = a)·P(Y = y) / P(A = a, Y = y) = (n_y · n_a) / (n · n_ay),
///
/// so that in the weighted data the label is independent of the group. Computed in AIF360's order
/// (its counts are exact in double precision), so the weights equal its weights bit for bit.
public struct Reweighing: Codable, Sendable, Equatable {
  /// The grouping's name (`sex`, `sex&race`).
  public var grouping: String
  /// `weights[group][label]`, for each group of the grouping and each label class; a cell with no
  /// rows has weight 1 (it weighs nothing).
  public var weights: [[Double]]
  /// The group names, in the grouping's order.
  public var groupNames: [String]

  /// The weights of `labels` (class codes 0..<classCount) by the groups of `grouping`.
  public init(labels: [Int], grouping: Grouping, classCount: Int = 2) throws {
    precondition(labels.count == grouping.codes.count, "Reweighing: \(labels.count) labels for \(grouping.codes.count) group codes")
    guard !labels.isEmpty else { throw MitigationError("no rows to reweigh", hint: "fit on a non-empty split") }
    if let row = labels.firstIndex(where: { !(0..<classCount).contains($0) }) {
      throw MitigationError("row \(row) has the label \(labels[row]), outside the \(classCount) classes")
    }
    var cells = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: grouping.groupCount)
    for (label, code) in zip(labels, grouping.codes) { cells[Int(code)][label] += 1 }
    let total = Double(labels.count)
    let ofLabel = (0..<classCount).map { label in Double(cells.reduce(0) { $0 + $1[label] }) }
    weights = cells.map { row in
      let ofGroup = Double(row.reduce(0, +))
      return row.enumerated().map { label, count in
        count == 0 ? 1 : ofLabel[label] * ofGroup / (total * Double(count))
      }
    }
    self.grouping = grouping.name
    groupNames = (0..<grouping.groupCount).map(grouping.groupName)
  }

  /// The weight of each row (its group's code and its label).
  public func rowWeights(labels: [Int], groupCodes: [Int32]) -> [Double] {
    zip(labels, groupCodes).map { label, code in weights[Int(code)][label] }
  }
}
