import Foundation
import KilnMetrics
import KilnConfiguration

/// The per-epoch validation metrics, named per label kind:
/// - binary: `validation.loss` (binary cross-entropy), `validation.accuracy` (at 0.5), `validation.roc_auc`;
/// - multiclass: `validation.loss` (cross-entropy), `validation.accuracy` (arg-max), `validation.macro_f1`;
/// - regression: `validation.loss` (MSE in raw units), `validation.rmse`, `validation.mae`, `validation.r2`.
///
/// Their directions are `MetricDirection`'s (loss, rmse and mae minimised, the rest maximised).
///
/// Besides these, `validation.fairness.ATTR.MEASURE` when a gate or a sweep objective asks for it
/// (`ValidationFairness`).
public enum ValidationMetrics {
  /// The prefix of the validation fairness metrics (`validation.fairness.sex.equalized_odds_difference`).
  public static let fairnessPrefix = "validation.fairness"

  /// The default selection metric of a label kind's models.
  public static func defaultSelection(for head: ModelHead) -> String {
    switch head {
    case .binary: return "validation.roc_auc"
    case .multiclass: return "validation.accuracy"
    case .regression: return "validation.rmse"
    }
  }

  /// The metrics `validate` computes for a head, in a fixed order.
  public static func names(for head: ModelHead) -> [String] {
    switch head {
    case .binary: return ["validation.loss", "validation.accuracy", "validation.roc_auc"]
    case .multiclass: return ["validation.loss", "validation.accuracy", "validation.macro_f1"]
    case .regression: return ["validation.loss", "validation.rmse", "validation.mae", "validation.r2"]
    }
  }

  /// One logit per row.
  static func binary(labels: [Int], logits: [Float]) -> [String: Double] {
    guard !labels.isEmpty else { return [:] }
    var lossSum = 0.0, correct = 0
    var scores: [Double] = []
    scores.reserveCapacity(labels.count)
    for (label, output) in zip(labels, logits) {
      let logit = Double(output)
      // Stable BCE with logits: max(z, 0) − z·y + log(1 + e^(−|z|)).
      lossSum += max(logit, 0) - logit * Double(label) + Foundation.log1p(Foundation.exp(-abs(logit)))
      let probability = 1 / (1 + Foundation.exp(-logit))
      scores.append(probability)
      if (probability >= 0.5 ? 1 : 0) == label { correct += 1 }
    }
    return ["validation.loss": lossSum / Double(labels.count),
            "validation.accuracy": Double(correct) / Double(labels.count),
            "validation.roc_auc": RankingMetrics.rocAUC(labels: labels, scores: scores)]
  }

  /// A binary model given as P(class 1) per row and its 0/1 decisions (a reduction's mixture:
  /// its expected score and its seeded decisions): the log loss of the scores (the evaluation's
  /// `log_loss`), the accuracy of the decisions and the ROC AUC of the scores.
  static func binary(labels: [Int], scores: [Double], decisions: [Int]) -> [String: Double] {
    guard !labels.isEmpty else { return [:] }
    let correct = zip(labels, decisions).filter { $0 == $1 }.count
    return ["validation.loss": CalibrationMetrics.logLoss(labels: labels, probabilities: scores),
            "validation.accuracy": Double(correct) / Double(labels.count),
            "validation.roc_auc": RankingMetrics.rocAUC(labels: labels, scores: scores)]
  }

  /// `classCount` logits per row; cross-entropy −log softmax(z)_y with log-sum-exp shifted by max z.
  static func multiclass(labels: [Int], logits: [Float], classCount: Int) -> [String: Double] {
    guard !labels.isEmpty else { return [:] }
    var lossSum = 0.0
    var predicted: [Int] = []
    predicted.reserveCapacity(labels.count)
    for (row, label) in labels.enumerated() {
      let values = logits[(row * classCount)..<((row + 1) * classCount)].map(Double.init)
      let largest = values.max()!
      let logSum = largest + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - largest) })
      lossSum += logSum - values[label]
      predicted.append(values.firstIndex(of: largest)!)
    }
    return ["validation.loss": lossSum / Double(labels.count),
            "validation.accuracy": MulticlassMetrics.accuracy(labels: labels, predicted: predicted),
            "validation.macro_f1": MulticlassMetrics.f1(labels: labels, predicted: predicted, classCount: classCount, average: .macro)]
  }

  /// Predictions and targets in raw units.
  static func regression(targets: [Double], predictions: [Double]) -> [String: Double] {
    guard !targets.isEmpty else { return [:] }
    return ["validation.loss": RegressionMetrics.meanSquaredError(targets: targets, predictions: predictions),
            "validation.rmse": RegressionMetrics.rootMeanSquaredError(targets: targets, predictions: predictions),
            "validation.mae": RegressionMetrics.meanAbsoluteError(targets: targets, predictions: predictions),
            "validation.r2": RegressionMetrics.rSquared(targets: targets, predictions: predictions)]
  }
}
