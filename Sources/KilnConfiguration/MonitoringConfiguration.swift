import KilnDrift

/// The `monitoring:` block of an experiment file: when a batch counts as drifted.
///
/// ```yaml
/// monitoring: {psi_threshold: 0.2, p_value: 0.01, score_psi_threshold: 0.1, bins: 10, min_group_size: 30,
///              max_metric_drop: 0.02, max_fairness_increase: 0.05, max_error_increase: 0.1,
///              max_worsening: {rmse: 0.5, fairness.sex.mae_difference: 0.2}}
/// ```
/// A feature drifts when its PSI exceeds `psi_threshold` and its two-sample test (Kolmogorov–Smirnov
/// or χ²) has p below `p_value`; every key is optional.
public struct MonitoringConfiguration: Codable, Equatable, Sendable {
  public var psiThreshold: Double?
  public var pValue: Double?
  public var scorePSIThreshold: Double?
  public var bins: Int?
  public var minGroupSize: Int?
  /// `kiln monitor`: accuracy or ROC AUC lower than the baseline by more than this is degradation (default 0.02).
  public var maxMetricDrop: Double?
  /// `kiln monitor`: a fairness difference higher than the baseline by more than this is degradation (default 0.05).
  public var maxFairnessIncrease: Double?
  /// `kiln monitor`: an error in the target's units (rmse, mae, log_loss, and the regression fairness
  /// differences) worse than the baseline by more than this fraction of it is degradation (default 0.1).
  public var maxErrorIncrease: Double?
  /// `kiln monitor`: per metric (`rmse`, `accuracy`, `fairness.ATTR.METRIC_difference`), the largest
  /// worsening allowed in the metric's own units, in its direction (`MetricDirection(forMetric:)`);
  /// overrides the three defaults above for that metric.
  public var maxWorsening: [String: Double]?

  enum CodingKeys: String, CodingKey {
    case bins
    case psiThreshold = "psi_threshold"
    case pValue = "p_value"
    case scorePSIThreshold = "score_psi_threshold"
    case minGroupSize = "min_group_size"
    case maxMetricDrop = "max_metric_drop"
    case maxFairnessIncrease = "max_fairness_increase"
    case maxErrorIncrease = "max_error_increase"
    case maxWorsening = "max_worsening"
  }

  public init(psiThreshold: Double? = nil, pValue: Double? = nil, scorePSIThreshold: Double? = nil,
              bins: Int? = nil, minGroupSize: Int? = nil, maxMetricDrop: Double? = nil, maxFairnessIncrease: Double? = nil,
              maxErrorIncrease: Double? = nil, maxWorsening: [String: Double]? = nil) {
    self.psiThreshold = psiThreshold
    self.pValue = pValue
    self.scorePSIThreshold = scorePSIThreshold
    self.bins = bins
    self.minGroupSize = minGroupSize
    self.maxMetricDrop = maxMetricDrop
    self.maxFairnessIncrease = maxFairnessIncrease
    self.maxErrorIncrease = maxErrorIncrease
    self.maxWorsening = maxWorsening
  }

  /// The thresholds, with defaults for what the block leaves out (range-checked at load).
  public var thresholds: DriftThresholds {
    let defaults = DriftThresholds()
    return DriftThresholds(psiThreshold: psiThreshold ?? defaults.psiThreshold, pValue: pValue ?? defaults.pValue,
                           scorePSIThreshold: scorePSIThreshold, bins: bins ?? defaults.bins,
                           minGroupSize: minGroupSize ?? defaults.minGroupSize)
  }
}
