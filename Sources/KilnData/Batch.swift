/// Rows of a dataset: features, labels (class codes) or targets (regression), sensitive codes and
/// the row indices they came from.
public struct Batch: Sendable, Equatable {
  /// Row-major features, `rowCount × featureCount`.
  public var features: [Float]
  public var rowCount: Int
  public var featureCount: Int
  /// Class codes (binary: 0 negative, 1 positive; multiclass 0..<K); empty for regression.
  public var labels: [Int32]
  /// Regression targets in the label column's raw units; empty for classification.
  public var targets: [Float]
  /// Sensitive codes per attribute name, one per row (−1 for missing).
  public var sensitive: [String: [Int32]]
  /// The dataset row of each batch row, ascending within a batch.
  public var rowIndices: [Int]

  /// A batch with class codes (`targets` empty) or regression targets (`labels` empty).
  public init(features: [Float], rowCount: Int, featureCount: Int, labels: [Int32], targets: [Float] = [],
              sensitive: [String: [Int32]], rowIndices: [Int]) {
    precondition(features.count == rowCount * featureCount,
                 "Batch: \(features.count) features do not fill \(rowCount) rows × \(featureCount) columns")
    precondition((labels.count == rowCount && targets.isEmpty) || (labels.isEmpty && targets.count == rowCount),
                 "Batch: \(labels.count) labels and \(targets.count) targets for \(rowCount) rows; give one per row of exactly one")
    precondition(rowIndices.count == rowCount, "Batch: \(rowIndices.count) indices for \(rowCount) rows")
    self.features = features
    self.rowCount = rowCount
    self.featureCount = featureCount
    self.labels = labels
    self.targets = targets
    self.sensitive = sensitive
    self.rowIndices = rowIndices
  }

  /// Class codes as floats (0 or 1 for binary), the form the cross-entropy losses take.
  public var labelValues: [Float] { labels.map(Float.init) }

  /// The features of one row.
  public func features(ofRow row: Int) -> ArraySlice<Float> {
    features[(row * featureCount)..<((row + 1) * featureCount)]
  }
}
