/// Group-wise metrics of a multi-class or regression model, in the style of fairlearn's
/// `MetricFrame` applied to scikit-learn metrics: for each sensitive attribute and declared
/// intersection, the metric overall and in each group, the group min and max, and the difference
/// (max − min, or the largest |group − overall|) and ratio (min / max, or the smallest
/// group/overall folded into [0, 1]) — with bootstrap intervals. Empty intersection cells and
/// groups below the minimum size are reported with their size and left out of min, max,
/// differences and ratios, exactly as `FairnessReport` does for binary models.
public struct GroupedMetricsReport: Codable, Sendable, Equatable {
  /// `multiclass` or `regression`.
  public var kind: String
  /// The per-group metrics, in report order (`accuracy`, `macro_f1`, … or `mae`, `rmse`, …).
  public var metrics: [String]
  public var rowCount: Int
  public var minimumGroupSize: Int
  public var bootstrap: BootstrapConfiguration?
  /// One section per attribute, then one per intersection.
  public var sections: [GroupedMetricsSection]

  /// The section named `name` (`sex`, or `sex&race`).
  public func section(_ name: String) -> GroupedMetricsSection? { sections.first { $0.name == name } }

  enum CodingKeys: String, CodingKey {
    case kind, metrics, bootstrap, sections
    case rowCount = "row_count", minimumGroupSize = "minimum_group_size"
  }

  /// Every number under the dotted names gates use, for each section `ATTR`:
  /// - `fairness.ATTR.METRIC_difference` and `fairness.ATTR.METRIC_ratio` (between groups), each
  ///   also with `.to_overall`, e.g. `fairness.sex.mae_difference`;
  /// - `fairness.ATTR.overall.METRIC`, `fairness.ATTR.groups.GROUP.METRIC` (and `.count`),
  ///   `fairness.ATTR.group_min.METRIC`, `fairness.ATTR.group_max.METRIC`;
  /// - `fairness.ATTR.difference.METRIC` and `fairness.ATTR.ratio.METRIC` (as binary reports name them).
  public func namedMetrics(prefix: String = "fairness") -> [String: MetricEstimate] {
    var named: [String: MetricEstimate] = [:]
    for section in sections {
      let base = "\(prefix).\(section.name)"
      section.addFrameMetrics(under: base, to: &named)
      for (kind, table) in [("difference", section.difference), ("ratio", section.ratio)] {
        for (metric, pair) in table {
          named["\(base).\(metric)_\(kind)"] = pair.betweenGroups
          named["\(base).\(metric)_\(kind).to_overall"] = pair.toOverall
        }
      }
    }
    return named
  }
}

/// One grouping of a `GroupedMetricsReport`. Dictionaries are keyed by metric name.
public struct GroupedMetricsSection: MetricFrameSection, Codable, Sendable, Equatable {
  /// `sex`, or `sex&race` for an intersection.
  public var name: String
  public var attributes: [String]
  /// Each metric over all rows.
  public var overall: [String: MetricEstimate]
  /// Every group, in fairlearn's order (intersections: the full cartesian product).
  public var groups: [GroupReport]
  public var groupMin: [String: MetricEstimate]
  public var groupMax: [String: MetricEstimate]
  public var difference: [String: MethodPair]
  public var ratio: [String: MethodPair]

  /// The group named `name` (`Female`, or `Female&White`).
  public func group(_ name: String) -> GroupReport? { groups.first { $0.name == name } }

  enum CodingKeys: String, CodingKey {
    case name, attributes, overall, groups, difference, ratio
    case groupMin = "group_min", groupMax = "group_max"
  }
}
