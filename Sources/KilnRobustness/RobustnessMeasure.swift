import Foundation

/// What a robustness run measures on a model: one value per row of any (perturbed) features,
/// aggregated into the model's headline metric, and what gradient attacks push against. It is
/// the model's head as robustness sees it: accuracy at a threshold (binary), accuracy of the most
/// probable class (multi-class), or RMSE (regression).
public struct RobustnessMeasure {
  /// `accuracy` or `rmse`.
  public let metric: String
  /// How much worse a perturbation made it, signed so that larger is worse: `accuracy_drop`
  /// (clean − perturbed) or `rmse_increase` (perturbed − clean).
  public let worsening: String
  /// Whether the metric is a root mean (RMSE) rather than a mean (accuracy).
  let rootMean: Bool
  /// One value per row: 1 when correct, else 0; or the squared error.
  let rowValues: ([Float]) -> [Double]
  /// The decision of each row (binary models), for flip rates and ART's empirical robustness.
  let decisions: (([Float]) -> [Int32])?
  /// The binary decision threshold.
  let threshold: Double?
  /// What FGSM and PGD maximise, and against which targets (labels, class codes, or regression
  /// targets in the network's output units).
  let objective: GradientAttack.Objective
  let attackTargets: [Float]

  /// A binary classifier's accuracy at `threshold` (predict 1 when P(1) ≥ threshold); attacks
  /// maximise the binary cross-entropy.
  public static func binaryAccuracy<Model: RobustnessModel>(_ model: Model, labels: [Int32], threshold: Double = 0.5) -> RobustnessMeasure {
    let decide: ([Float]) -> [Int32] = { features in
      model.positiveProbabilities(features: features, rowCount: labels.count).map { $0 >= threshold ? 1 : 0 }
    }
    return RobustnessMeasure(metric: "accuracy", worsening: "accuracy_drop", rootMean: false,
                             rowValues: { zip(decide($0), labels).map { $0 == $1 ? 1 : 0 } }, decisions: decide, threshold: threshold,
                             objective: .binaryCrossEntropy, attackTargets: labels.map(Float.init))
  }

  /// A multi-class classifier's accuracy (the most probable class); attacks maximise the softmax cross-entropy.
  public static func multiclassAccuracy(predictedClasses: @escaping ([Float]) -> [Int], labels: [Int32]) -> RobustnessMeasure {
    RobustnessMeasure(metric: "accuracy", worsening: "accuracy_drop", rootMean: false,
                      rowValues: { zip(predictedClasses($0), labels).map { $0 == Int($1) ? 1 : 0 } }, decisions: nil, threshold: nil,
                      objective: .softmaxCrossEntropy, attackTargets: labels.map(Float.init))
  }

  /// A regressor's RMSE in the target's units; attacks maximise the squared error against
  /// `outputTargets`, the targets in the network's (standardised) output units.
  public static func rootMeanSquaredError(predictions: @escaping ([Float]) -> [Double], targets: [Double],
                                          outputTargets: [Float]) -> RobustnessMeasure {
    RobustnessMeasure(metric: "rmse", worsening: "rmse_increase", rootMean: true,
                      rowValues: { zip(predictions($0), targets).map { ($0 - $1) * ($0 - $1) } }, decisions: nil, threshold: nil,
                      objective: .squaredError, attackTargets: outputTargets)
  }

  /// Each row's value and, for a binary model, its decision.
  func measured(_ features: [Float]) -> (values: [Double], decisions: [Int32]?) {
    guard let decisions = decisions?(features) else { return (rowValues(features), nil) }
    return (zip(decisions, attackTargets).map { Float($0) == $1 ? 1 : 0 }, decisions)
  }

  /// Σ wᵢ·vᵢ / Σ wᵢ over `rows` (its root for RMSE); NaN when the weights sum to 0.
  func aggregate<Rows: Sequence<Int>>(_ values: [Double], weights: [Double], rows: Rows) -> Double {
    var sum = 0.0, total = 0.0
    for row in rows {
      total += weights[row]
      sum += weights[row] * values[row]
    }
    guard total > 0 else { return .nan }
    return rootMean ? (sum / total).squareRoot() : sum / total
  }

  /// How much worse `perturbed` is than `clean`.
  func worsening(clean: Double, perturbed: Double) -> Double { rootMean ? perturbed - clean : clean - perturbed }
}
