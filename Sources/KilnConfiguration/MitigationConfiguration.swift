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
///   reductions:                                    # in-processing (Agarwal et al. 2018): a mixture of trained models
///     method: exponentiated_gradient               # or grid_search
///     constraint: equalized_odds                   # any thresholds constraint, error_rate_parity, bounded_group_loss
///     sensitive: [sex]
///     difference_bound: 0.01                       # parity constraints' bound (upper_bound for bounded_group_loss)
///     eps: 0.01                                    # exponentiated_gradient: 1/eps bounds the multipliers
///     max_iter: 50
///     eta0: 2.0
///     grid_size: 10                                # grid_search: grid points (grid_limit 2.0)
///     fit_on: train                                # the only split a model is trained on
///     predictor: mixture                           # or best: the single heaviest model
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

  /// In-processing by reductions (Agarwal et al. 2018; fairlearn's `ExponentiatedGradient` and
  /// `GridSearch`), with the experiment's own trainer as the cost-sensitive learner.
  public struct Reductions: Codable, Equatable, Sendable {
    public enum Method: String, ConfigurationName, Sendable {
      case exponentiatedGradient = "exponentiated_gradient"
      case gridSearch = "grid_search"
    }
    /// The split the models are trained on: train only, so the gates judge them on unseen rows.
    public enum FitSplit: String, ConfigurationName, Sendable { case train }
    /// What scores: the randomized mixture the reduction found, or its heaviest single model.
    public enum Predictor: String, ConfigurationName, Sendable { case mixture, best }

    public var method: Method
    public var constraint: ReductionConstraint
    public var sensitive: [String]
    /// ε of a parity constraint (default 0.01, fairlearn's).
    public var differenceBound: Double?
    /// ζ of bounded group loss (required for it).
    public var upperBound: Double?
    /// Exponentiated gradient: the multipliers' L1 bound is 1/eps (default 0.01).
    public var eps: Double?
    /// Exponentiated gradient: at most this many iterations (default 50).
    public var maxIter: Int?
    /// Exponentiated gradient: the duality-gap tolerance (default: from the first model's errors).
    public var nu: Double?
    /// Exponentiated gradient: the initial step size (default 2.0).
    public var eta0: Double?
    /// Grid search: grid points (default 10) and the multipliers' L1 bound (default 2.0).
    public var gridSize: Int?
    public var gridLimit: Double?
    /// Default `train`.
    public var fitOn: FitSplit?
    /// Default `mixture`.
    public var predictor: Predictor?

    enum CodingKeys: String, CodingKey {
      case method, constraint, sensitive, eps, nu, eta0, predictor
      case differenceBound = "difference_bound", upperBound = "upper_bound", maxIter = "max_iter"
      case gridSize = "grid_size", gridLimit = "grid_limit", fitOn = "fit_on"
    }

    public init(method: Method, constraint: ReductionConstraint, sensitive: [String], differenceBound: Double? = nil,
                upperBound: Double? = nil, eps: Double? = nil, maxIter: Int? = nil, nu: Double? = nil, eta0: Double? = nil,
                gridSize: Int? = nil, gridLimit: Double? = nil, fitOn: FitSplit? = nil, predictor: Predictor? = nil) {
      self.method = method
      self.constraint = constraint
      self.sensitive = sensitive
      self.differenceBound = differenceBound
      self.upperBound = upperBound
      self.eps = eps
      self.maxIter = maxIter
      self.nu = nu
      self.eta0 = eta0
      self.gridSize = gridSize
      self.gridLimit = gridLimit
      self.fitOn = fitOn
      self.predictor = predictor
    }

    /// The constraint's bound: ζ for bounded group loss, else ε (0.01 by default).
    public var bound: Double { constraint == .boundedGroupLoss ? upperBound ?? 0 : differenceBound ?? 0.01 }

    /// Values that decode but cannot be used, each at its key.
    func problems(_ require: (Bool, String, String, String?) -> Void) {
      let key = "mitigation.reductions"
      func positive(_ value: Double?, _ name: String, _ hint: String) {
        guard let value else { return }
        require(value.isFinite && value > 0, "\(key).\(name)", "\(name) must be a positive number, found \(value)", hint)
      }
      positive(eps, "eps", "0.01 is fairlearn's default")
      positive(nu, "nu", "leave it out to derive it from the first model's errors")
      positive(eta0, "eta0", "2.0 is fairlearn's default")
      positive(gridLimit, "grid_limit", "2.0 is fairlearn's default")
      if let differenceBound {
        require(differenceBound.isFinite && differenceBound >= 0, "\(key).difference_bound",
                "the difference bound must be at least 0, found \(differenceBound)", "0.01 is fairlearn's default")
        require(constraint != .boundedGroupLoss, "\(key).difference_bound", "bounded_group_loss takes an upper_bound, not a difference_bound", nil)
      }
      if constraint == .boundedGroupLoss {
        require(upperBound != nil, "\(key).upper_bound", "bounded_group_loss needs an upper bound on each group's mean squared loss",
                "e.g. `upper_bound: 0.05`")
      } else {
        require(upperBound == nil, "\(key).upper_bound", "only bounded_group_loss takes an upper_bound; \(constraint.rawValue) takes a difference_bound", nil)
      }
      if let upperBound {
        require(upperBound.isFinite && upperBound >= 0, "\(key).upper_bound", "the upper bound must be at least 0, found \(upperBound)", nil)
      }
      if let maxIter {
        require((1...10_000).contains(maxIter), "\(key).max_iter", "max_iter must be in 1…10000, found \(maxIter)", "50 is fairlearn's default")
      }
      if let gridSize {
        require((2...10_000).contains(gridSize), "\(key).grid_size", "the grid size must be in 2…10000, found \(gridSize)", "10 is fairlearn's default")
      }
      let forOther = method == .gridSearch
        ? [("eps", eps != nil), ("max_iter", maxIter != nil), ("nu", nu != nil), ("eta0", eta0 != nil)]
        : [("grid_size", gridSize != nil), ("grid_limit", gridLimit != nil)]
      for (name, present) in forOther {
        require(!present, "\(key).\(name)", "\(name) is not a setting of \(method.rawValue)",
                "remove it, or use method: \(method == .gridSearch ? "exponentiated_gradient" : "grid_search")")
      }
    }
  }

  public var reweighing: Reweighing?
  public var thresholds: Thresholds?
  public var reductions: Reductions?

  public init(reweighing: Reweighing? = nil, thresholds: Thresholds? = nil, reductions: Reductions? = nil) {
    self.reweighing = reweighing
    self.thresholds = thresholds
    self.reductions = reductions
  }

  /// The largest grid the threshold search accepts.
  public static let maximumGridSize = 100_000

  /// Values that decode but cannot be used, each at its key.
  func problems(_ require: (Bool, String, String, String?) -> Void) {
    require(reweighing != nil || thresholds != nil || reductions != nil, "mitigation", "the mitigation block names no mitigation",
            "add `reweighing: {sensitive: [ATTRIBUTE]}`, `thresholds: {constraint: equalized_odds, sensitive: [ATTRIBUTE]}` "
            + "or `reductions: {method: exponentiated_gradient, constraint: equalized_odds, sensitive: [ATTRIBUTE]}`, or remove the block")
    for (key, sensitive) in [("mitigation.reweighing.sensitive", reweighing?.sensitive), ("mitigation.thresholds.sensitive", thresholds?.sensitive),
                             ("mitigation.reductions.sensitive", reductions?.sensitive)] {
      guard let sensitive else { continue }
      require(!sensitive.isEmpty, key, "name at least one sensitive attribute", "e.g. `sensitive: [sex]`")
      require(Set(sensitive).count == sensitive.count, key, "an attribute is listed twice: \(sensitive)", nil)
    }
    if let size = thresholds?.gridSize {
      require((1...Self.maximumGridSize).contains(size), "mitigation.thresholds.grid_size",
              "the grid size must be in 1…\(Self.maximumGridSize), found \(size)", "1000 is fairlearn's default")
    }
    reductions?.problems(require)
    require(reductions == nil || reweighing == nil, "mitigation.reductions",
            "reductions choose each row's weight themselves; they cannot be combined with reweighing", "remove one of the two")
  }
}

extension FairnessConstraint: ConfigurationName {}
extension ReductionConstraint: ConfigurationName {}
extension ThresholdObjective: ConfigurationName {}
