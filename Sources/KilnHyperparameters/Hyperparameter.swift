/// A hyperparameter of Kiln's optimizers and learning-rate schedules, named as experiment files name
/// it, with its one range check. The optimizers' and schedules' initialisers and the experiment
/// file's validation all ask this rule, so a value is accepted or refused alike whether it comes
/// from code or from YAML.
///
/// Tensor-free, so the configuration module can use it without linking the numeric core.
public enum Hyperparameter: String, Sendable, CaseIterable {
  /// Learning rate η.
  case lr
  case momentum
  /// λ (L2 regularisation or decoupled decay).
  case weightDecay = "weight_decay"
  case beta1, beta2
  /// ε, added to the denominator of adaptive steps.
  case epsilon
  /// RMSprop's smoothing constant α.
  case alpha
  /// A schedule's decay factor γ (step, exponential; reduce-on-plateau also needs γ < 1 to reduce).
  case gamma
  /// Epochs (or steps) between a step schedule's decays.
  case stepSize = "step_size"
  /// Warm-up epochs (or steps) of the cosine schedule.
  case warmup = "warmup_epochs"
  /// The learning rate a schedule never goes below.
  case minLr = "min_lr"
  /// Evaluations without improvement before reduce-on-plateau cuts the rate.
  case patience

  /// What a valid value satisfies, completing "lr must be …".
  public var requirement: String {
    switch self {
    case .lr, .epsilon: return "must be a positive number"
    case .weightDecay, .minLr: return "must be a non-negative number"
    case .momentum, .beta1, .beta2, .alpha: return "must be in [0, 1)"
    case .gamma: return "must be in (0, 1]"
    case .stepSize, .patience: return "must be a whole number of at least 1"
    case .warmup: return "must be a whole number of at least 0"
    }
  }

  /// Whether `value` is valid (never NaN or infinite).
  public func accepts(_ value: Double) -> Bool {
    guard value.isFinite else { return false }
    switch self {
    case .lr, .epsilon: return value > 0
    case .weightDecay, .minLr: return value >= 0
    case .momentum, .beta1, .beta2, .alpha: return value >= 0 && value < 1
    case .gamma: return value > 0 && value <= 1
    case .stepSize, .patience: return value >= 1 && value.rounded() == value
    case .warmup: return value >= 0 && value.rounded() == value
    }
  }

  /// The sentence for a refused value: `epsilon must be a positive number, found 0.0`.
  public func problem(with value: Double) -> String? {
    accepts(value) ? nil : "\(rawValue) \(requirement), found \(value)"
  }
}
