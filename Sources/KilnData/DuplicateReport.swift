/// Repeated rows as a model sees them: rows compared by their stored features, exactly (bit for
/// bit), so two raw rows that encode alike count as one.
///
/// - duplicate rows: rows whose features and label (or target) repeat an earlier row's;
/// - conflicting labels: rows whose features occur with more than one label (every such row);
/// - shared between splits: rows of a later split (validation, test) whose features also occur
///   in an earlier one — train/test leakage.
public struct DuplicateReport: Codable, Sendable, Equatable {
  public var duplicateRows: Int
  public var conflictingLabelRows: Int
  /// `validation_in_train`, `test_in_train`, `test_in_validation`: rows of the first split whose
  /// features occur in the second (only pairs of splits the dataset has).
  public var sharedBetweenSplits: [String: Int]

  enum CodingKeys: String, CodingKey {
    case duplicateRows = "duplicate_rows", conflictingLabelRows = "conflicting_label_rows", sharedBetweenSplits = "shared_between_splits"
  }

  public init(duplicateRows: Int, conflictingLabelRows: Int, sharedBetweenSplits: [String: Int]) {
    self.duplicateRows = duplicateRows
    self.conflictingLabelRows = conflictingLabelRows
    self.sharedBetweenSplits = sharedBetweenSplits
  }

  /// Analyses row-major features with their labels (class codes) or targets.
  /// - Parameters:
  ///   - labels: one class code per row, or empty when `targets` holds regression targets.
  ///   - splits: row indices of each split (train, validation, test; others are ignored).
  public init(features: [Float], featureCount: Int, labels: [Int32], targets: [Float], splits: [String: [Int]]) {
    let rowCount = featureCount == 0 ? 0 : features.count / featureCount
    precondition(labels.count == rowCount || targets.count == rowCount, "DuplicateReport: \(rowCount) rows but \(labels.count) labels and \(targets.count) targets")
    // Each distinct feature vector gets a group number.
    var groupOf = [Int](repeating: 0, count: rowCount)
    var groups: [[UInt32]: Int] = [:]
    for row in 0..<rowCount {
      let key = features[(row * featureCount)..<((row + 1) * featureCount)].map(\.bitPattern)
      if let group = groups[key] { groupOf[row] = group } else {
        groupOf[row] = groups.count
        groups[key] = groups.count
      }
    }
    func labelKey(_ row: Int) -> UInt64 { labels.count == rowCount ? UInt64(UInt32(bitPattern: labels[row])) : UInt64(targets[row].bitPattern) }
    var seen = Set<[UInt64]>()
    var labelsOfGroup = [Set<UInt64>](repeating: [], count: groups.count)
    var duplicates = 0
    for row in 0..<rowCount {
      if !seen.insert([UInt64(groupOf[row]), labelKey(row)]).inserted { duplicates += 1 }
      labelsOfGroup[groupOf[row]].insert(labelKey(row))
    }
    duplicateRows = duplicates
    conflictingLabelRows = (0..<rowCount).filter { labelsOfGroup[groupOf[$0]].count > 1 }.count
    sharedBetweenSplits = [:]
    let order = ["train", "validation", "test"].filter { splits[$0] != nil }
    for (position, earlier) in order.enumerated() {
      let present = Set(splits[earlier]!.map { groupOf[$0] })
      for later in order[(position + 1)...] {
        sharedBetweenSplits["\(later)_in_\(earlier)"] = splits[later]!.filter { present.contains(groupOf[$0]) }.count
      }
    }
  }
}
