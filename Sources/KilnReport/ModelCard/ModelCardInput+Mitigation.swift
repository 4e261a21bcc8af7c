import KilnMetrics

extension ModelCardInput {
  /// What a mitigation changed: the same model and seed before (unmitigated) and after, overall
  /// and by group, with intervals, and the accuracy-against-disparity trade-off.
  public struct Mitigation: Codable, Sendable, Equatable {
    /// One metric before and after.
    public struct Comparison: Codable, Sendable, Equatable {
      public var metric: String
      /// The group (`sex=Female`), or nil for an overall metric.
      public var group: String?
      public var before: MetricEstimate
      public var after: MetricEstimate
      public init(metric: String, group: String? = nil, before: MetricEstimate, after: MetricEstimate) {
        self.metric = metric
        self.group = group
        self.before = before
        self.after = after
      }
    }

    /// E.g. "group thresholds for sex under equalized_odds, fitted on validation".
    public var summary: String
    /// The accuracy metric and the disparity metric of the trade-off plot (`test.accuracy`,
    /// `fairness.sex.equalized_odds_difference`).
    public var accuracyMetric: String
    public var disparityMetric: String
    public var overall: [Comparison]
    public var byGroup: [Comparison]

    enum CodingKeys: String, CodingKey {
      case summary, overall
      case accuracyMetric = "accuracy_metric", disparityMetric = "disparity_metric", byGroup = "by_group"
    }

    public init(summary: String, accuracyMetric: String, disparityMetric: String, overall: [Comparison], byGroup: [Comparison]) {
      self.summary = summary
      self.accuracyMetric = accuracyMetric
      self.disparityMetric = disparityMetric
      self.overall = overall
      self.byGroup = byGroup
    }

    /// The before and after points of the trade-off plot, when both metrics are there.
    var tradeoff: (before: (accuracy: MetricEstimate, disparity: MetricEstimate), after: (accuracy: MetricEstimate, disparity: MetricEstimate))? {
      guard let accuracy = overall.first(where: { $0.metric == accuracyMetric && $0.group == nil }),
            let disparity = overall.first(where: { $0.metric == disparityMetric && $0.group == nil }) else { return nil }
      return ((accuracy.before, disparity.before), (accuracy.after, disparity.after))
    }
  }
}
