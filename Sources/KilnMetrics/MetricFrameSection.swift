/// What a fairness section and a grouped-metrics section share: a metric frame over one grouping
/// (overall values, every group, group min/max, and differences and ratios by both methods).
protocol MetricFrameSection {
  /// `sex`, or `sex&race` for an intersection.
  var name: String { get }
  var overall: [String: MetricEstimate] { get }
  var groups: [GroupReport] { get }
  var groupMin: [String: MetricEstimate] { get }
  var groupMax: [String: MetricEstimate] { get }
  var difference: [String: MethodPair] { get }
  var ratio: [String: MethodPair] { get }
}

extension MetricFrameSection {
  /// Adds the frame's numbers under `base` (`fairness.sex`): `base.overall.METRIC`,
  /// `base.groups.GROUP.METRIC`, `base.group_min.METRIC`, `base.group_max.METRIC`, and
  /// `base.difference.METRIC` / `base.ratio.METRIC` with their `.to_overall` variants.
  func addFrameMetrics(under base: String, to named: inout [String: MetricEstimate]) {
    for (metric, estimate) in overall { named["\(base).overall.\(metric)"] = estimate }
    for group in groups {
      for (metric, estimate) in group.metrics { named["\(base).groups.\(group.name).\(metric)"] = estimate }
    }
    for (metric, estimate) in groupMin { named["\(base).group_min.\(metric)"] = estimate }
    for (metric, estimate) in groupMax { named["\(base).group_max.\(metric)"] = estimate }
    for (kind, table) in [("difference", difference), ("ratio", ratio)] {
      for (metric, pair) in table {
        named["\(base).\(kind).\(metric)"] = pair.betweenGroups
        named["\(base).\(kind).\(metric).to_overall"] = pair.toOverall
      }
    }
  }
}
