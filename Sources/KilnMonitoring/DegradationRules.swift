import KilnMetricDirection
import KilnReport
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// When a monitored figure counts as degraded: its worsening from the baseline — in the metric's
/// direction (`MetricDirection`: lower is better for rmse, mae, log_loss and
/// every `_difference`) — exceeds the allowed amount.
///
/// The allowed worsening of a metric is, in order: its `max_worsening` entry (by full name, e.g.
/// `fairness.sex.mae_difference`, else by last segment, e.g. `rmse`); for errors measured in the
/// target's units (rmse, mae, mse, log_loss, median_absolute_error, max_error and the regression
/// fairness differences of these and of mean_prediction), `max_error_increase` × |baseline|;
/// for the other fairness figures `max_fairness_increase`; for the other performance metrics
/// (accuracy, F1, ROC AUC, R² …) `max_metric_drop`.
public struct DegradationRules: Sendable, Equatable {
  public var maxMetricDrop: Double
  public var maxFairnessIncrease: Double
  public var maxErrorIncrease: Double
  public var maxWorsening: [String: Double]

  /// Metric names (last segment, without `_difference`) measured in the target's or the loss's units.
  static let unboundedErrors: Set<String> = ["rmse", "mae", "mse", "log_loss", "median_absolute_error", "max_error", "mean_prediction"]

  /// The `monitoring:` block's rules, with defaults for what it leaves out (0.02, 0.05, 0.1, none).
  public init(_ monitoring: MonitoringConfiguration?) {
    maxMetricDrop = monitoring?.maxMetricDrop ?? 0.02
    maxFairnessIncrease = monitoring?.maxFairnessIncrease ?? 0.05
    maxErrorIncrease = monitoring?.maxErrorIncrease ?? 0.1
    maxWorsening = monitoring?.maxWorsening ?? [:]
  }

  /// How much worse than `baseline` the metric may become before it counts as degraded.
  public func allowedWorsening(metric: String, baseline: Double) -> Double {
    let last = metric.split(separator: ".").last.map(String.init) ?? metric
    if let limit = maxWorsening[metric] ?? maxWorsening[last] { return limit }
    let base = last.hasSuffix("_difference") ? String(last.dropLast("_difference".count)) : last
    if Self.unboundedErrors.contains(base) { return maxErrorIncrease * abs(baseline) }
    return metric.hasPrefix("fairness.") ? maxFairnessIncrease : maxMetricDrop
  }

  /// Whether `current` is worse than `baseline` by more than the allowed amount, in the metric's
  /// direction (`MetricDirection`); a metric without a known direction counts as degraded (fails closed).
  public func isDegraded(metric: String, current: Double, baseline: Double) -> Bool {
    guard let direction = MetricDirection(forMetric: metric) else { return true }
    return direction.worsening(from: baseline, to: current) > allowedWorsening(metric: metric, baseline: baseline)
  }
}
