extension FairnessReport {
  /// Every number of the report under the dotted name gates and trackers use, for each section
  /// `ATTR` (`sex`, or `sex&race` for an intersection, whose groups are `Female&White`):
  /// - `fairness.ATTR.overall.METRIC`, `fairness.ATTR.groups.GROUP.METRIC` (and `.count`),
  ///   `fairness.ATTR.group_min.METRIC`, `fairness.ATTR.group_max.METRIC`;
  /// - `fairness.ATTR.difference.METRIC` and `fairness.ATTR.ratio.METRIC` (between groups), each
  ///   also with `.to_overall`;
  /// - binary audits, their disparities by name: every `FairnessMeasure`
  ///   (`fairness.sex.demographic_parity_difference`, and `….to_overall`) and
  ///   `fairness.sex.four_fifths_rule.flagged` (1 when flagged, else 0); other audits, each
  ///   metric's as `fairness.ATTR.METRIC_difference` and `fairness.ATTR.METRIC_ratio`
  ///   (`fairness.sex.mae_difference`), each also with `.to_overall`.
  public func namedMetrics(prefix: String = "fairness") -> [String: MetricEstimate] {
    var named: [String: MetricEstimate] = [:]
    for section in sections {
      let base = "\(prefix).\(section.name)"
      for (metric, estimate) in section.overall { named["\(base).overall.\(metric)"] = estimate }
      for group in section.groups {
        for (metric, estimate) in group.metrics { named["\(base).groups.\(group.name).\(metric)"] = estimate }
      }
      for (metric, estimate) in section.groupMin { named["\(base).group_min.\(metric)"] = estimate }
      for (metric, estimate) in section.groupMax { named["\(base).group_max.\(metric)"] = estimate }
      for (kind, table) in [("difference", section.difference), ("ratio", section.ratio)] {
        for (metric, pair) in table {
          // A binary audit names its disparities by the fairness measures composed from them.
          for name in ["\(base).\(kind).\(metric)"] + (section.measures == nil ? ["\(base).\(metric)_\(kind)"] : []) {
            named[name] = pair.betweenGroups
            named["\(name).to_overall"] = pair.toOverall
          }
        }
      }
      for (measure, pair) in section.measures ?? [:] {
        named["\(base).\(measure)"] = pair.betweenGroups
        named["\(base).\(measure).to_overall"] = pair.toOverall
      }
      if let rule = section.fourFifthsRule { named["\(base).four_fifths_rule.flagged"] = MetricEstimate(value: rule.flagged ? 1 : 0) }
    }
    return named
  }
}
