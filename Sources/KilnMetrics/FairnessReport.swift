/// The fairness audit of one set of predictions, whatever the label kind: one section per
/// sensitive attribute and per declared intersection. `Codable`; JSON writes NaN as `null`.
public struct FairnessReport: Codable, Sendable, Equatable {
  /// What was audited: `binary`, `multiclass` or `regression` (absent in reports written before
  /// label kinds: binary).
  public var kind: String?
  /// The per-group metrics, in report order (`selection_rate`, … or `accuracy`, `macro_f1`, … or `mae`, `rmse`, …).
  public var metrics: [String]?
  /// Rows audited.
  public var rowCount: Int
  /// Groups smaller than this are reported as insufficient data and left out of disparities.
  public var minimumGroupSize: Int
  /// Equal-width bins used for calibration error (binary audits).
  public var calibrationBins: Int?
  /// The bootstrap behind the intervals, or nil when none were computed.
  public var bootstrap: BootstrapConfiguration?
  /// One section per attribute, then one per intersection.
  public var sections: [FairnessSection]

  public init(kind: String?, metrics: [String]?, rowCount: Int, minimumGroupSize: Int, calibrationBins: Int?,
              bootstrap: BootstrapConfiguration?, sections: [FairnessSection]) {
    self.kind = kind
    self.metrics = metrics
    self.rowCount = rowCount
    self.minimumGroupSize = minimumGroupSize
    self.calibrationBins = calibrationBins
    self.bootstrap = bootstrap
    self.sections = sections
  }

  /// Whether the sections hold the named fairness measures (a binary audit's confusion counts).
  public var hasMeasures: Bool { sections.first?.measures != nil }

  /// The section named `name` (`sex`, or `sex&race`).
  public func section(_ name: String) -> FairnessSection? { sections.first { $0.name == name } }

  enum CodingKeys: String, CodingKey {
    case rowCount = "row_count", minimumGroupSize = "minimum_group_size", calibrationBins = "calibration_bins"
    case kind, metrics, bootstrap, sections
  }
}

/// The audit of one grouping: overall values, every group, group min/max, differences and
/// ratios per metric, and for binary audits the named fairness measures. Dictionaries are keyed by the metric's or
/// measure's snake_case name (`selection_rate`, `demographic_parity_difference`).
public struct FairnessSection: Codable, Sendable, Equatable {
  /// `sex`, or `sex&race` for an intersection.
  public var name: String
  /// The attributes the grouping is made of.
  public var attributes: [String]
  /// Each metric over all rows.
  public var overall: [String: MetricEstimate]
  /// Every group, in fairlearn's order (intersections: the full cartesian product).
  public var groups: [GroupReport]
  /// Smallest value over the groups taking part in disparities.
  public var groupMin: [String: MetricEstimate]
  /// Largest value over the groups taking part in disparities.
  public var groupMax: [String: MetricEstimate]
  /// Difference of each metric by both methods.
  public var difference: [String: MethodPair]
  /// Ratio of each metric by both methods.
  public var ratio: [String: MethodPair]
  /// The named fairness measures by both methods (binary audits).
  public var measures: [String: MethodPair]?
  /// The four-fifths rule on the between-groups selection-rate ratio (binary audits).
  public var fourFifthsRule: FourFifthsRule?

  /// The group named `name` (`Female`, or `Female&White`).
  public func group(_ name: String) -> GroupReport? { groups.first { $0.name == name } }

  /// The groups below the minimum size (never silently dropped: listed here with their size).
  public var insufficientGroups: [GroupReport] { groups.filter { $0.status == .insufficientData } }

  enum CodingKeys: String, CodingKey {
    case name, attributes, overall, groups, difference, ratio, measures
    case groupMin = "group_min", groupMax = "group_max", fourFifthsRule = "four_fifths_rule"
  }
}

/// One group of a section.
public struct GroupReport: Codable, Sendable, Equatable {
  /// The labels joined by `&`.
  public var name: String
  /// One label per attribute of the section.
  public var labels: [String]
  /// Rows in the group.
  public var count: Int
  /// Whether the group takes part in disparities, is too small, or is empty.
  public var status: GroupStatus
  /// Each metric in the group, keyed by its snake_case name.
  public var metrics: [String: MetricEstimate]
}

/// A disparity by both methods.
public struct MethodPair: Codable, Sendable, Equatable {
  /// Groups compared with each other (fairlearn's default).
  public var betweenGroups: MetricEstimate
  /// Each group compared with the overall value.
  public var toOverall: MetricEstimate

  public init(betweenGroups: MetricEstimate, toOverall: MetricEstimate) {
    self.betweenGroups = betweenGroups
    self.toOverall = toOverall
  }

  /// The estimate for `method`.
  public subscript(method: DisparityMethod) -> MetricEstimate {
    method == .betweenGroups ? betweenGroups : toOverall
  }

  enum CodingKeys: String, CodingKey {
    case betweenGroups = "between_groups", toOverall = "to_overall"
  }
}

/// The four-fifths rule (29 CFR 1607.4(D)): adverse impact is indicated when the lowest group's
/// selection rate is below 80% of the highest group's.
public struct FourFifthsRule: Codable, Sendable, Equatable {
  /// The between-groups selection-rate ratio (disparate impact).
  public var ratio: MetricEstimate
  /// 0.8.
  public var threshold: Double
  /// True when the ratio is below the threshold, or undefined (failing closed).
  public var flagged: Bool

  enum CodingKeys: String, CodingKey { case ratio, threshold, flagged }
}
