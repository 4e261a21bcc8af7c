import KilnMetrics

/// The experiment's `mitigation:` block: how training and decisions are made fairer
/// (docs/evaluation.md, "Mitigation").
///
/// ```yaml
/// mitigation:
///   reweighing: {sensitive: [sex]}                 # pre-processing: weights per (group, label)
///   thresholds:                                    # post-processing: a threshold rule per group
///     constraint: equalized_odds                   # demographic_parity, true_positive_rate_parity, false_positive_rate_parity
///     sensitive: [sex]                             # one attribute, or several for their intersection
///     objective: accuracy                          # or balanced_accuracy
///     fit_on: validation                           # or train; never test
///     grid_size: 1000
/// ```
public struct MitigationConfiguration: Codable, Equatable, Sendable {
  /// Reweighing (Kamiran & Calders 2012): every train row weighs P(a)·P(y) / P(a, y) in the loss.
  public struct Reweighing: Codable, Equatable, Sendable {
    /// The attribute, or the attributes whose intersection, defines the groups.
    public var sensitive: [String]

    public init(sensitive: [String]) { self.sensitive = sensitive }
  }

  /// Group-specific thresholds (Hardt et al. 2016; fairlearn's `ThresholdOptimizer`).
  public struct Thresholds: Codable, Equatable, Sendable {
    /// The split the thresholds are fitted on; the test split is not one, so the gates judge
    /// them on rows they did not see.
    public enum FitSplit: String, ConfigurationName, Sendable { case train, validation }

    public var constraint: FairnessConstraint
    public var sensitive: [String]
    /// Default `accuracy`.
    public var objective: ThresholdObjective?
    /// Default `validation`.
    public var fitOn: FitSplit?
    /// Grid intervals over the equalised rate's [0, 1] (default 1000).
    public var gridSize: Int?

    enum CodingKeys: String, CodingKey {
      case constraint, sensitive, objective
      case fitOn = "fit_on"
      case gridSize = "grid_size"
    }

    public init(constraint: FairnessConstraint, sensitive: [String], objective: ThresholdObjective? = nil,
                fitOn: FitSplit? = nil, gridSize: Int? = nil) {
      self.constraint = constraint
      self.sensitive = sensitive
      self.objective = objective
      self.fitOn = fitOn
      self.gridSize = gridSize
    }
  }

  public var reweighing: Reweighing?
  public var thresholds: Thresholds?

  public init(reweighing: Reweighing? = nil, thresholds: Thresholds? = nil) {
    self.reweighing = reweighing
    self.thresholds = thresholds
  }

  /// The largest grid the threshold search accepts.
  public static let maximumGridSize = 100_000

  /// Values that decode but cannot be used, each at its key.
  func problems(_ require: (Bool, String, String, String?) -> Void) {
    require(reweighing != nil || thresholds != nil, "mitigation", "the mitigation block names no mitigation",
            "add `reweighing: {sensitive: [ATTRIBUTE]}` or `thresholds: {constraint: equalized_odds, sensitive: [ATTRIBUTE]}`, or remove the block")
    for (key, sensitive) in [("mitigation.reweighing.sensitive", reweighing?.sensitive), ("mitigation.thresholds.sensitive", thresholds?.sensitive)] {
      guard let sensitive else { continue }
      require(!sensitive.isEmpty, key, "name at least one sensitive attribute", "e.g. `sensitive: [sex]`")
      require(Set(sensitive).count == sensitive.count, key, "an attribute is listed twice: \(sensitive)", nil)
    }
    if let size = thresholds?.gridSize {
      require((1...Self.maximumGridSize).contains(size), "mitigation.thresholds.grid_size",
              "the grid size must be in 1…\(Self.maximumGridSize), found \(size)", "1000 is fairlearn's default")
    }
  }
}

extension FairnessConstraint: ConfigurationName {}
extension ThresholdObjective: ConfigurationName {}
