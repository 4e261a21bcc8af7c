extension FairnessReport {
  /// Every number of the report under the dotted name gates and trackers use:
  /// - `fairness.sex.demographic_parity_difference` (between groups, fairlearn's default) and
  ///   `fairness.sex.demographic_parity_difference.to_overall`, for every `FairnessMeasure`;
  /// - `fairness.sex.four_fifths_rule.flagged` (1 when flagged, else 0);
  /// - `fairness.sex.overall.accuracy`; `fairness.sex.groups.Female.selection_rate`;
  /// - `fairness.sex.group_min.precision`, `fairness.sex.group_max.precision`;
  /// - `fairness.sex.difference.true_positive_rate` and `….to_overall`, likewise `ratio`.
  /// Intersections are named by joining attributes and labels with `&`
  /// (`fairness.sex&race.groups.Female&White.selection_rate`).
  public func namedMetrics(prefix: String = "fairness") -> [String: MetricEstimate] {
    var named: [String: MetricEstimate] = [:]
    for section in sections {
      let base = "\(prefix).\(section.name)"
      for (measure, pair) in section.measures {
        named["\(base).\(measure)"] = pair.betweenGroups
        named["\(base).\(measure).to_overall"] = pair.toOverall
      }
      named["\(base).four_fifths_rule.flagged"] = MetricEstimate(value: section.fourFifthsRule.flagged ? 1 : 0)
      section.addFrameMetrics(under: base, to: &named)
    }
    return named
  }
}
