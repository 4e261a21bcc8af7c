import KilnMetricDirection
/// A written promotion gate on one tracked metric (the `gates:` list of an experiment file).
///
/// The one owner of the gate grammar: the experiment file, the configuration a run stores and
/// `promotion.json` all read and write gates through its `Codable` form (`Gate+Grammar.swift`).
///
/// Forms, as in TFMA's value and change thresholds and MLflow's `MetricThreshold`:
/// - `.atLeast(x)` / `.atMost(x)`: the chosen bound of the metric against a fixed value;
/// - `.range(min, max)`: both;
/// - `.versusChampion(minDelta:)`: the improvement over the champion ≥ minDelta, where the
///   improvement is candidate − champion when higher is better and champion − candidate when
///   lower is better (`direction`), so a negative minDelta always allows that much worse;
/// - `.versusChampion(minRelativeChange:)`: improvement / |champion| ≥ r.
/// The metric name may contain `*` for one dotted segment (`fairness.sex.groups.*.selection_rate`):
/// the gate then applies to every matching metric and holds only if it holds for the worst one.
public struct Gate: Codable, Equatable, Sendable {
  public enum Threshold: Equatable, Sendable {
    case atLeast(Double)
    case atMost(Double)
    case range(Double, Double)
    case versusChampion(minDelta: Double)
    case versusChampionRelative(minRelativeChange: Double)
  }

  /// Which number of a metric the threshold is compared with.
  public enum Bound: String, Codable, Sendable, CaseIterable {
    case value
    case ciLower = "ci_lower"
    case ciUpper = "ci_upper"
  }

  public enum Severity: String, Codable, Sendable, CaseIterable {
    /// A failing gate rejects the model.
    case block
    /// A failing gate is reported but does not reject.
    case warn
  }

  public var metric: String
  public var threshold: Threshold
  public var bound: Bound
  public var severity: Severity
  /// Which way is better for champion comparisons; nil: the metric's direction in
  /// `MetricDirection`'s table (a champion gate on a metric the table does not know fails closed).
  public var direction: MetricDirection?

  public init(metric: String, threshold: Threshold, bound: Bound = .value, severity: Severity = .block,
              direction: MetricDirection? = nil) {
    self.metric = metric
    self.threshold = threshold
    self.bound = bound
    self.severity = severity
    self.direction = direction
  }

  /// The direction used for `metric` (a concrete name, for wildcard gates); nil when neither
  /// the gate nor the table gives one.
  public func direction(for metric: String) -> MetricDirection? { direction ?? MetricDirection(forMetric: metric) }

  /// The gate as a person reads it, e.g. `test.accuracy (ci_lower) ≥ 0.84`.
  public var summary: String {
    let subject = bound == .value ? metric : "\(metric) (\(bound.rawValue))"
    switch threshold {
    case .atLeast(let minimum): return "\(subject) ≥ \(minimum)"
    case .atMost(let maximum): return "\(subject) ≤ \(maximum)"
    case .range(let minimum, let maximum): return "\(minimum) ≤ \(subject) ≤ \(maximum)"
    case .versusChampion(let delta):
      return direction(for: metric) == .minimize ? "champion − \(subject) ≥ \(delta)" : "\(subject) − champion ≥ \(delta)"
    case .versusChampionRelative(let change):
      return direction(for: metric) == .minimize ? "(champion − \(subject)) / |champion| ≥ \(change)"
        : "(\(subject) − champion) / |champion| ≥ \(change)"
    }
  }
}
