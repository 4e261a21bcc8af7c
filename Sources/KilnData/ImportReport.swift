/// What an import did: row counts before and after the missing-value policy, unknown
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
  /// Per split: fraction of rows in the positive class.
  public var positiveRate: [String: Double]
  /// Raw columns before the policy.
  public var columns: [ColumnProfile]
}
