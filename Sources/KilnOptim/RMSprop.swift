import KilnTensor
import KilnNN
/// RMSprop's per-parameter state.
public struct RMSpropState: Sendable {
  /// v, the exponential average of squared gradients.
  public var squareAverage: Tensor
  /// b, the momentum buffer (used when momentum > 0).
  public var momentumBuffer: Tensor

  /// Restores a saved state (e.g. from a checkpoint).
  public init(squareAverage: Tensor, momentumBuffer: Tensor) {
    self.squareAverage = squareAverage
    self.momentumBuffer = momentumBuffer
  }

  /// Zero state for a parameter shaped like `parameter`.
  public init(like parameter: Tensor) {
    squareAverage = Tensor.zeros(shape: parameter.shape)
    momentumBuffer = Tensor.zeros(shape: parameter.shape)
  }
}

/// RMSprop (Tieleman & Hinton 2012, Coursera "Neural Networks for Machine Learning", lecture 6.5),
/// in PyTorch's formulation.
public struct RMSprop: Optimizer {
  public struct Hyperparameters: Sendable, Codable, Equatable {
    public var learningRate: Float
    /// α, the smoothing constant of the squared-gradient average.
    public var alpha: Float
    public var epsilon: Float
    public var momentum: Float
    public var weightDecay: Float
  }

  public var hyperparameters: Hyperparameters
  /// Per-parameter state in the module's parameter order; settable so checkpoints can restore it.
  public var states: [RMSpropState] = []

  public var learningRate: Float {
    get { hyperparameters.learningRate }
    set { hyperparameters.learningRate = newValue }
  }

  /// Throws `OptimizerConfigurationError` naming the first invalid value.
  public init(
    learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8, momentum: Float = 0,
    weightDecay: Float = 0
  ) throws {
    try OptimizerConfigurationError.check("learning rate", learningRate, learningRate >= 0, "must be ≥ 0")
    try OptimizerConfigurationError.check("alpha", alpha, alpha >= 0 && alpha < 1, "must be in [0, 1)")
    try OptimizerConfigurationError.check("epsilon", epsilon, epsilon >= 0, "must be ≥ 0")
    try OptimizerConfigurationError.check("momentum", momentum, momentum >= 0 && momentum < 1, "must be in [0, 1)")
    try OptimizerConfigurationError.check("weight decay", weightDecay, weightDecay >= 0, "must be ≥ 0")
    hyperparameters = Hyperparameters(learningRate: learningRate, alpha: alpha, epsilon: epsilon,
                                      momentum: momentum, weightDecay: weightDecay)
  }

  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients) {
    if states.isEmpty { states = gradients.tensors.map { RMSpropState(like: $0) } }
    let h = hyperparameters
    model.updateParameters(along: gradients) { index, parameter, gradient in
      RMSprop.step(&parameter, gradient: gradient, state: &states[index], h)
    }
  }

  /// One RMSprop step for one parameter, in place:
  ///
  ///     g ← g + λθ
  ///     v ← α·v + (1 − α)·g²
  ///     b ← μ·b + g / (√v + ε);  θ ← θ − η·b      (momentum μ > 0)
  ///     θ ← θ − η·g / (√v + ε)                    (μ = 0)
  public static func step(
    _ parameter: inout Tensor, gradient: Tensor, state: inout RMSpropState, _ h: Hyperparameters
  ) {
    let alpha = h.alpha, epsilon = h.epsilon, momentum = h.momentum, rate = h.learningRate
    let decay = h.weightDecay
    gradient.withUnsafeBufferPointer { g in
      state.squareAverage.withUnsafeMutableBufferPointer { v in
        state.momentumBuffer.withUnsafeMutableBufferPointer { b in
          parameter.withUnsafeMutableBufferPointer { theta in
            for i in theta.indices {
              let grad = g[i] + decay * theta[i]
              v[i] = alpha * v[i] + (1 - alpha) * grad * grad
              let scaled = grad / (v[i].squareRoot() + epsilon)
              if momentum > 0 {
                b[i] = momentum * b[i] + scaled
                theta[i] -= rate * b[i]
              } else {
                theta[i] -= rate * scaled
              }
            }
          }
        }
      }
    }
  }
}
