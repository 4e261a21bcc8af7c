/// Rows of a dataset: features, labels, sensitive codes and the row indices they came from.
public struct Batch: Sendable, Equatable {
  /// Row-major features, `rowCount × featureCount`.
  public var features: [Float]
  public var rowCount: Int
  public var featureCount: Int
  /// Label codes (0 = negative class, 1 = positive class).
  public var labels: [Int32]
  /// Sensitive codes per attribute name, one per row (−1 for missing).
  public var sensitive: [String: [Int32]]
  /// The dataset row of each batch row, ascending within a batch.
  public var rowIndices: [Int]

  public init(features: [Float], rowCount: Int, featureCount: Int, labels: [Int32],
              sensitive: [String: [Int32]], rowIndices: [Int]) {
    precondition(features.count == rowCount * featureCount,
                 "Batch: \(features.count) features do not fill \(rowCount) rows × \(featureCount) columns")
    precondition(labels.count == rowCount && rowIndices.count == rowCount,
                 "Batch: \(labels.count) labels and \(rowIndices.count) indices for \(rowCount) rows")
    self.features = features
    self.rowCount = rowCount
    self.featureCount = featureCount
    self.labels = labels
    self.sensitive = sensitive
    self.rowIndices = rowIndices
  }

  /// Labels as floats (0 or 1), the form binary cross-entropy takes.
  public var labelValues: [Float] { labels.map(Float.init) }

  /// The features of one row.
  public func features(ofRow row: Int) -> ArraySlice<Float> {
    features[(row * featureCount)..<((row + 1) * featureCount)]
  }
}
