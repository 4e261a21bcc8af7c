/// What an import did (the label's balance per split: positive rate, class counts or target statistics): row counts before and after the missing-value policy, unknown
/// categories, the encoded width, label balance, the raw-column profile and the fingerprint.
public struct ImportReport: Codable, Sendable, Equatable {
  public var name: String
  public var output: String
  public var fingerprint: String
  public var featureCount: Int
  /// The policy applied.
  public var missingPolicy: DatasetRecipe.MissingPolicy
  /// Data rows read from each raw file, by the split it was named for (`all` for a file that is split).
  public var rawFileRows: [String: Int]
  /// Rows per split before the missing-value policy (validation is carved from train).
  public var rowsBeforePolicy: [String: Int]
  /// Rows per split each policy would keep (`drop`, `impute`); the applied one was written.
  public var rowsKeptByPolicy: [String: [String: Int]]
  /// Rows per split in the written file.
  public var rowsWritten: [String: Int]
  /// Per split, per column: values that fell into the unknown-category bucket.
  public var unknownCategories: [String: [String: Int]]
  /// Per split: fraction of rows in the positive class (binary labels only; empty otherwise).
  public var positiveRate: [String: Double]
  public var labelKind: LabelKind = .binary
  /// Per raw file (by the split it was named for): rows left out because the label was missing.
  public var rowsWithoutLabel: [String: Int] = [:]
  /// Multiclass: per split, rows per class name.
  public var classCounts: [String: [String: Int]]?
  /// Regression: per split, the target's mean, standard deviation, minimum and maximum.
  public var targetStatistics: [String: TargetStatistics]?
  /// Raw columns before the policy.
  public var columns: [ColumnProfile]
  /// The recipe's row filters, in order: rows that reached each and rows it kept.
  public var filters: [FilterReport] = []
  /// Duplicate rows, duplicates with conflicting labels, rows shared between splits (as written).
  public var duplicates = DuplicateReport(duplicateRows: 0, conflictingLabelRows: 0, sharedBetweenSplits: [:])

  enum CodingKeys: String, CodingKey {
    case name, output, fingerprint, featureCount, missingPolicy, rawFileRows, rowsBeforePolicy, rowsKeptByPolicy, rowsWritten
    case unknownCategories, positiveRate, labelKind, rowsWithoutLabel, classCounts, targetStatistics, columns, filters, duplicates
  }
}

/// Per-split label summaries gathered while writing an import.
struct LabelSummary {
  var positiveRate: [String: Double] = [:]
  var classCounts: [String: [String: Int]]?
  var targetStatistics: [String: TargetStatistics]?

  mutating func add(split: String, kind: LabelKind, classes: [String], codes: [Int32], targets: [Float]) {
    switch kind {
    case .binary:
      positiveRate[split] = codes.isEmpty ? 0 : Double(codes.reduce(0, +)) / Double(codes.count)
    case .multiclass:
      var counts = Dictionary(uniqueKeysWithValues: classes.map { ($0, 0) })
      for code in codes { counts[classes[Int(code)], default: 0] += 1 }
      classCounts = (classCounts ?? [:]).merging([split: counts]) { $1 }
    case .regression:
      targetStatistics = (targetStatistics ?? [:]).merging([split: TargetStatistics(targets.map(Double.init))]) { $1 }
    }
  }
}
