/// A model's outputs on the reference and the current rows, compared as the prediction drift.
public enum PredictionSample: Sendable {
  /// A binary classifier's P(class 1): PSI over reference quantile bins and Kolmogorov–Smirnov (named `score`).
  case scores(reference: [Double], current: [Double])
  /// A regressor's predicted values: PSI over reference quantile bins and Kolmogorov–Smirnov (named `prediction`).
  case values(reference: [Double], current: [Double])
  /// A multi-class classifier's predicted class codes (indexing `classes`): PSI and χ² over the
  /// predicted-class distribution (named `predicted_class`).
  case classes(names: [String], reference: [Int32], current: [Int32])

  /// The drift of the predictions; the PSI threshold is the score PSI threshold.
  func drift(thresholds: DriftThresholds) -> FeatureDrift? {
    var predictionThresholds = thresholds
    predictionThresholds.psiThreshold = thresholds.scorePSIThreshold
    switch self {
    case .scores(let reference, let current):
      return FeatureDrift.numeric(name: "score", reference: reference.sorted(), current: current.sorted(), thresholds: predictionThresholds)
    case .values(let reference, let current):
      return FeatureDrift.numeric(name: "prediction", reference: reference.sorted(), current: current.sorted(),
                                  thresholds: predictionThresholds)
    case .classes(let names, let reference, let current):
      return FeatureDrift.categorical(name: "predicted_class", categories: names,
                                      referenceCounts: FeatureDrift.counts(reference, names.count),
                                      currentCounts: FeatureDrift.counts(current, names.count), thresholds: predictionThresholds)
    }
  }
}
