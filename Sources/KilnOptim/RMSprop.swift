import KilnTensor
import KilnNN
import KilnHyperparameters
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
  public static let kind = "rmsprop"
  public struct Hyperparameters: Sendable, Codable, Equatable, GroupedHyperparameters {
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
  public var parameterSettings: [String: ParameterSettings] = [:]

  public var learningRate: Float {
    get { hyperparameters.learningRate }
    set { hyperparameters.learningRate = newValue }
  }

  /// Throws `OptimizerConfigurationError` naming the first invalid value.
  public init(
    learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8, momentum: Float = 0,
    weightDecay: Float = 0
  ) throws {
    try OptimizerConfigurationError.check(.lr, learningRate)
    try OptimizerConfigurationError.check(.alpha, alpha)
    try OptimizerConfigurationError.check(.epsilon, epsilon)
    try OptimizerConfigurationError.check(.momentum, momentum)
    try OptimizerConfigurationError.check(.weightDecay, weightDecay)
    hyperparameters = Hyperparameters(learningRate: learningRate, alpha: alpha, epsilon: epsilon,
                                      momentum: momentum, weightDecay: weightDecay)
  }

  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients, owned: [Bool]?) {
    if states.isEmpty { states = gradients.tensors.map { RMSpropState(like: $0) } }
    let h = hyperparameters, settings = parameterSettings
    model.updateParameters(along: gradients, owned: owned) { index, path, parameter, gradient in
      RMSprop.step(&parameter, gradient: gradient, state: &states[index], h.applying(settings[path]))
    }
  }

  /// State as `PATH/square_average` and `PATH/momentum_buffer`.
  public func exportState(paths: [String]) -> OptimizerState {
    var exported = OptimizerState()
    for (path, state) in zip(paths, states) {
      exported.tensors["\(path)/square_average"] = state.squareAverage
      exported.tensors["\(path)/momentum_buffer"] = state.momentumBuffer
    }
    return exported
  }

  public mutating func importState(_ state: OptimizerState, paths: [String]) throws {
    guard !state.tensors.isEmpty else { return }
    states = try paths.map {
      RMSpropState(squareAverage: try state.tensor("\($0)/square_average"), momentumBuffer: try state.tensor("\($0)/momentum_buffer"))
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
              // `.magnitude` (v ≥ 0) keeps the square root an instruction (see `AdamKernel`).
              let scaled = grad / (v[i].magnitude.squareRoot() + epsilon)
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
