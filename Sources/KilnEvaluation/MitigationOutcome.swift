import KilnMetrics

/// A mitigated model's evaluation beside the same model without its mitigation: the group
/// thresholds it applied, and the fairness audit and named metrics at the single threshold.
public struct MitigationOutcome: Codable, Sendable, Equatable {
  public var thresholds: GroupThresholds
  /// The fairness report before mitigation (nil when no attribute is audited).
  public var unmitigatedFairness: FairnessReport?
  /// The named metrics before mitigation, with their intervals (`test.accuracy`,
  /// `fairness.sex.equalized_odds_difference`, …).
  public var unmitigatedMetrics: [String: MetricEstimate]

  enum CodingKeys: String, CodingKey {
    case thresholds
    case unmitigatedFairness = "unmitigated_fairness"
    case unmitigatedMetrics = "unmitigated_metrics"
  }

  public init(thresholds: GroupThresholds, unmitigatedFairness: FairnessReport?, unmitigatedMetrics: [String: MetricEstimate]) {
    self.thresholds = thresholds
    self.unmitigatedFairness = unmitigatedFairness
    self.unmitigatedMetrics = unmitigatedMetrics
  }
}
