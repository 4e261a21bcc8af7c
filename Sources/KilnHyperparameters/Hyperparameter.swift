/// A hyperparameter of Kiln's optimizers, named as experiment files name it, with its one range
/// check. The optimizers' initialisers and the experiment file's validation both ask this rule, so
/// a value is accepted or refused alike whether it comes from code or from YAML.
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

  /// What a valid value satisfies, completing "lr must be …".
  public var requirement: String {
    switch self {
    case .lr, .epsilon: return "must be a positive number"
    case .weightDecay: return "must be a non-negative number"
    case .momentum, .beta1, .beta2, .alpha: return "must be in [0, 1)"
    }
  }

  /// Whether `value` is valid (never NaN or infinite).
  public func accepts(_ value: Double) -> Bool {
    guard value.isFinite else { return false }
    switch self {
    case .lr, .epsilon: return value > 0
    case .weightDecay: return value >= 0
    case .momentum, .beta1, .beta2, .alpha: return value >= 0 && value < 1
    }
  }

  /// The sentence for a refused value: `epsilon must be a positive number, found 0.0`.
  public func problem(with value: Double) -> String? {
    accepts(value) ? nil : "\(rawValue) \(requirement), found \(value)"
  }
}
