import KilnTensor
import KilnNN
import KilnHyperparameters
/// SGD's per-parameter state: the momentum buffer (absent until the first step with momentum).
public struct SGDState: Sendable {
  public var velocity: Tensor?
  public init(velocity: Tensor? = nil) { self.velocity = velocity }
}

/// Stochastic gradient descent with momentum (Polyak 1964; Sutskever et al. 2013, "On the importance
/// of initialization and momentum in deep learning", ICML), optional Nesterov momentum and L2 weight
/// decay, in PyTorch's formulation.
public struct SGD: Optimizer {
  public static let kind = "sgd"
  public struct Hyperparameters: Sendable, Codable, Equatable, GroupedHyperparameters {
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
  }

  public var hyperparameters: Hyperparameters
  /// Per-parameter state in the module's parameter order; settable so checkpoints can restore it.
  public var states: [SGDState] = []
  public var parameterSettings: [String: ParameterSettings] = [:]

  public var learningRate: Float {
    get { hyperparameters.learningRate }
    set { hyperparameters.learningRate = newValue }
  }

  /// Throws `OptimizerConfigurationError` naming the first invalid value.
  public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) throws {
    try OptimizerConfigurationError.check(.lr, learningRate)
    try OptimizerConfigurationError.check(.momentum, momentum)
    try OptimizerConfigurationError.check(.weightDecay, weightDecay)
    try OptimizerConfigurationError.check("momentum", momentum, !nesterov || momentum > 0, "must be > 0 for Nesterov momentum")
    hyperparameters = Hyperparameters(learningRate: learningRate, momentum: momentum, nesterov: nesterov,
                                      weightDecay: weightDecay)
  }

  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients, owned: [Bool]?) {
    if states.isEmpty { states = Array(repeating: SGDState(), count: gradients.tensors.count) }
    let h = hyperparameters, settings = parameterSettings
    model.updateParameters(along: gradients, owned: owned) { index, path, parameter, gradient in
      SGD.step(&parameter, gradient: gradient, state: &states[index], h.applying(settings[path]))
    }
  }

  /// Momentum buffers as `PATH/velocity` (absent before the first step with momentum).
  public func exportState(paths: [String]) -> OptimizerState {
    var exported = OptimizerState()
    for (path, state) in zip(paths, states) {
      if let velocity = state.velocity { exported.tensors["\(path)/velocity"] = velocity }
    }
    return exported
  }

  public mutating func importState(_ state: OptimizerState, paths: [String]) throws {
    guard !state.tensors.isEmpty else { return }
    states = paths.map { SGDState(velocity: state.tensors["\($0)/velocity"]) }
  }

  /// One SGD step for one parameter:
  ///
  ///     g ← g + λθ
  ///     b ← μ·b + g        (b ← g on the first step)
  ///     g ← g + μ·b        (Nesterov)   or   g ← b   (classical momentum; skipped when μ = 0)
  ///     θ ← θ − η·g
  public static func step(
    _ parameter: inout Tensor, gradient: Tensor, state: inout SGDState, _ h: Hyperparameters
  ) {
    var direction = h.weightDecay == 0 ? gradient : gradient + parameter * h.weightDecay
    if h.momentum > 0 {
      if var velocity = state.velocity {
        state.velocity = nil
        velocity *= h.momentum
        velocity += direction
        state.velocity = velocity
      } else {
        state.velocity = direction
      }
      direction = h.nesterov ? direction + state.velocity! * h.momentum : state.velocity!
    }
    let rate = h.learningRate
    direction.withUnsafeBufferPointer { d in
      parameter.withUnsafeMutableBufferPointer { theta in
        for i in theta.indices { theta[i] -= rate * d[i] }
      }
    }
  }
}
