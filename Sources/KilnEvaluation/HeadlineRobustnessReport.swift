import KilnMetrics
import KilnConfiguration
import KilnTraining

/// Robustness of a multi-class or regression model: its headline metric (accuracy, or RMSE) on
/// the clean split and under each perturbation, with how much worse it got, overall and per group.
///
/// "Worse" is signed so that larger is worse for either kind: `accuracy_drop` = clean − perturbed
/// accuracy, `rmse_increase` = perturbed − clean RMSE.
public struct HeadlineRobustnessReport: Codable, Sendable, Equatable {
  /// `accuracy` (multi-class) or `rmse` (regression).
  public var metric: String
  /// `accuracy_drop` or `rmse_increase`.
  public var worsening: String
  public var clean: Double
  public var minimumGroupSize: Int
  public var outcomes: [Outcome]

  public struct Outcome: Codable, Sendable, Equatable {
    /// `gaussian_noise_0.1`, `missing_features_0.2`, …
    public var name: String
    /// `gaussian_noise`, `missing_features`, `category_corruption`.
    public var kind: String
    public var level: Double
    public var value: Double
    public var worsening: Double
    public var groups: [GroupOutcome]
  }

  public struct GroupOutcome: Codable, Sendable, Equatable {
    public var attribute: String
    public var group: String
    public var count: Int
    public var clean: Double
    public var value: Double
    public var worsening: Double
    public var insufficientData: Bool
  }

  enum CodingKeys: String, CodingKey {
    case metric, worsening, clean, outcomes
    case minimumGroupSize = "minimum_group_size"
  }

  /// `robustness.clean.METRIC`, `robustness.NAME.METRIC`, `robustness.NAME.WORSENING`,
  /// `robustness.NAME.groups.ATTR.GROUP.METRIC` / `.WORSENING` and `robustness.NAME.ATTR.max_WORSENING`.
  public func namedMetrics(prefix: String = "robustness") -> [String: MetricEstimate] {
    var named = ["\(prefix).clean.\(metric)": MetricEstimate(value: clean)]
    for outcome in outcomes {
      let base = "\(prefix).\(outcome.name)"
      named["\(base).\(metric)"] = MetricEstimate(value: outcome.value)
      named["\(base).\(worsening)"] = MetricEstimate(value: outcome.worsening)
      var worst: [String: Double] = [:]
      for group in outcome.groups {
        let reason: UndefinedReason? = group.count == 0 ? .emptyGroup : group.insufficientData ? .insufficientData : nil
        let detail = reason == nil ? nil : "group \(group.attribute)=\(group.group) has \(group.count) rows"
        named["\(base).groups.\(group.attribute).\(group.group).\(metric)"] = MetricEstimate(value: group.value, undefined: reason, detail: detail)
        named["\(base).groups.\(group.attribute).\(group.group).\(worsening)"] = MetricEstimate(value: group.worsening, undefined: reason, detail: detail)
        if reason == nil { worst[group.attribute] = max(worst[group.attribute] ?? -.infinity, group.worsening) }
      }
      for attribute in Set(outcome.groups.map(\.attribute)) {
        let value = worst[attribute]
        named["\(base).\(attribute).max_\(worsening)"] = MetricEstimate(value: value ?? .nan, undefined: value == nil ? .insufficientData : nil)
      }
    }
    return named
  }
}
