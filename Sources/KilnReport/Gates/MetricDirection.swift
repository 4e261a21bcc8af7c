/// Whether a larger value of a metric is better (accuracy, R², ROC AUC, a ratio) or worse (an
/// error, a loss, a disparity difference, a drop under perturbation). Champion gates use it so
/// that `min_delta: -0.005` always means "no more than 0.005 worse than the champion".
public enum MetricDirection: String, Codable, Sendable {
  case higherIsBetter = "higher_is_better"
  case lowerIsBetter = "lower_is_better"

  /// Metric names (the last dotted segment, after dropping `.to_overall`) that are errors or losses.
  static let lowerIsBetterNames: Set<String> = [
    "rmse", "mae", "mse", "log_loss", "brier_score", "max_error", "median_absolute_error",
    "expected_calibration_error", "maximum_calibration_error", "calibration_error",
    "false_positive_rate", "false_negative_rate", "flagged", "prediction_flip_rate",
  ]

  /// The direction of a metric from its name: lower is better for the errors and losses above,
  /// for names ending in `_difference`, `_drop`, `_increase` or `_gap`, and for anything under a
  /// `difference` segment (`fairness.sex.difference.accuracy`); higher is better otherwise.
  public static func inferred(forMetric name: String) -> MetricDirection {
    var parts = name.split(separator: ".").map(String.init)
    if parts.last == "to_overall" { parts.removeLast() }
    guard let last = parts.last else { return .higherIsBetter }
    if lowerIsBetterNames.contains(last) || parts.contains("difference") { return .lowerIsBetter }
    for suffix in ["_difference", "_drop", "_increase", "_gap"] where last.hasSuffix(suffix) { return .lowerIsBetter }
    return .higherIsBetter
  }
}
