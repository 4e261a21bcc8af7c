import KilnTensor
import KilnNN
import Foundation
import KilnHyperparameters

/// Adam's per-parameter state: the moment estimates and the number of steps taken.
public struct AdamState: Sendable {
  /// m, the exponential average of gradients.
  public var firstMoment: Tensor
  /// v, the exponential average of squared gradients.
  public var secondMoment: Tensor
  /// t, the number of updates applied.
  public var step: Int

  /// Restores a saved state (e.g. from a checkpoint).
  public init(firstMoment: Tensor, secondMoment: Tensor, step: Int) {
    precondition(firstMoment.shape == secondMoment.shape,
                 "AdamState: moments \(firstMoment.shape) and \(secondMoment.shape) differ in shape")
    self.firstMoment = firstMoment
    self.secondMoment = secondMoment
    self.step = step
  }

  /// Zero moments for a parameter shaped like `parameter`.
  public init(like parameter: Tensor) {
    firstMoment = Tensor.zeros(shape: parameter.shape)
    secondMoment = Tensor.zeros(shape: parameter.shape)
    step = 0
  }
}

/// Adam (Kingma & Ba 2015, arXiv:1412.6980), with optional L2 weight decay added to the gradient.
public struct Adam: Optimizer {
  public static let kind = "adam"
  public struct Hyperparameters: Sendable, Codable, Equatable, GroupedHyperparameters {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// λ. For Adam it is L2 regularisation (g ← g + λθ); for AdamW it is decoupled decay.
    public var weightDecay: Float
  }

  /// Moment estimates smaller than this are stored as zero (they are far below anything that moves
  /// a Float32 parameter, and subnormal arithmetic would stall every later step).
  static let flushThreshold: Float = 1e-30

  public var hyperparameters: Hyperparameters
  /// Per-parameter state in the module's parameter order; settable so checkpoints can restore it.
  public var states: [AdamState] = []
  public var parameterSettings: [String: ParameterSettings] = [:]

  public var learningRate: Float {
    get { hyperparameters.learningRate }
    set { hyperparameters.learningRate = newValue }
  }

  /// Throws `OptimizerConfigurationError` naming the first invalid value.
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0
  ) throws {
    hyperparameters = try Adam.validated(Hyperparameters(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay))
  }

  static func validated(_ h: Hyperparameters) throws -> Hyperparameters {
    try OptimizerConfigurationError.check(.lr, h.learningRate)
    try OptimizerConfigurationError.check(.beta1, h.beta1)
    try OptimizerConfigurationError.check(.beta2, h.beta2)
    try OptimizerConfigurationError.check(.epsilon, h.epsilon)
    try OptimizerConfigurationError.check(.weightDecay, h.weightDecay)
    return h
  }

  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients, owned: [Bool]?) {
    Adam.applyUpdate(&model, along: gradients, owned: owned, states: &states, hyperparameters, parameterSettings, decoupled: false)
  }

  public func exportState(paths: [String]) -> OptimizerState { Adam.export(states, paths: paths) }

  public mutating func importState(_ state: OptimizerState, paths: [String]) throws {
    states = try Adam.imported(state, paths: paths)
  }

  /// Shared by Adam and AdamW: creates missing state, then steps every parameter with its group's settings.
  static func applyUpdate<Model: Module>(
    _ model: inout Model, along gradients: Gradients, owned: [Bool]?, states: inout [AdamState],
    _ h: Hyperparameters, _ settings: [String: ParameterSettings], decoupled: Bool
  ) {
    if states.isEmpty { states = gradients.tensors.map { AdamState(like: $0) } }
    model.updateParameters(along: gradients, owned: owned) { index, path, parameter, gradient in
      step(&parameter, gradient: gradient, state: &states[index], h.applying(settings[path]), decoupled: decoupled)
    }
  }

  /// Moments as `PATH/first_moment` and `PATH/second_moment`, steps as `PATH/step`.
  static func export(_ states: [AdamState], paths: [String]) -> OptimizerState {
    var exported = OptimizerState()
    for (path, state) in zip(paths, states) {
      exported.tensors["\(path)/first_moment"] = state.firstMoment
      exported.tensors["\(path)/second_moment"] = state.secondMoment
      exported.counters["\(path)/step"] = state.step
    }
    return exported
  }

  static func imported(_ state: OptimizerState, paths: [String]) throws -> [AdamState] {
    guard !state.tensors.isEmpty else { return [] }
    return try paths.map {
      AdamState(firstMoment: try state.tensor("\($0)/first_moment"), secondMoment: try state.tensor("\($0)/second_moment"),
                step: state.counters["\($0)/step"] ?? 0)
    }
  }

  /// One Adam step for one parameter, in place (no allocation when the storages are unshared):
  ///
  ///     g ← g + λθ                      (L2 form; with `decoupled`: θ ← θ − ηλθ instead)
  ///     t ← t + 1
  ///     m ← β1·m + (1 − β1)·g
  ///     v ← β2·v + (1 − β2)·g²
  ///     θ ← θ − η · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
  ///
  /// Paper: https://arxiv.org/abs/1412.6980 (decoupled decay: https://arxiv.org/abs/1711.05101).
  public static func step(
    _ parameter: inout Tensor, gradient: Tensor, state: inout AdamState, _ h: Hyperparameters,
    decoupled: Bool = false
  ) {
    precondition(parameter.shape == gradient.shape,
                 "Adam.step: gradient \(gradient.shape) does not match parameter \(parameter.shape)")
    state.step += 1
    let count = gradient.scalarCount
    let t = Double(state.step)
    let firstCorrection = Float(1 / (1 - Foundation.pow(Double(h.beta1), t)))
    let secondCorrection = Float(1 / (1 - Foundation.pow(Double(h.beta2), t)))
    let constants = AdamKernel(
      beta1: h.beta1, beta2: h.beta2, epsilon: h.epsilon, rate: h.learningRate,
      l2: decoupled ? 0 : h.weightDecay, shrink: decoupled ? 1 - h.learningRate * h.weightDecay : 1,
      firstCorrection: firstCorrection, secondCorrection: secondCorrection)
    gradient.withUnsafeBufferPointer { g in
      state.firstMoment.withUnsafeMutableBufferPointer { m in
        state.secondMoment.withUnsafeMutableBufferPointer { v in
          parameter.withUnsafeMutableBufferPointer { theta in
            constants.run(count: count, gradient: g.baseAddress!, firstMoment: m.baseAddress!,
                          secondMoment: v.baseAddress!, parameter: theta.baseAddress!)
          }
        }
      }
    }
  }
}

/// The arithmetic of one Adam step over raw buffers. It is one plain loop that LLVM vectorises.
/// The square root is taken of `.magnitude`: for an operand LLVM cannot prove non-negative,
/// Swift's `squareRoot()` keeps a call to `sqrtf` (which may set `errno`) for negative inputs, and
/// that call blocks vectorisation; of a magnitude it is one `sqrtps`. The operand is v̂ ≥ 0, so
/// the value is the same.
struct AdamKernel {
  let beta1: Float, beta2: Float, epsilon: Float, rate: Float, l2: Float, shrink: Float
  let firstCorrection: Float, secondCorrection: Float

  /// Runs `ElementwiseKernels.adamUpdate` (baseline or AVX2, the same bits) over the parts of a
  /// large pass. Moments of parameters that stop receiving gradient decay geometrically into the
  /// subnormal range, where arithmetic is about 100× slower; the kernel flushes them to zero below
  /// `Adam.flushThreshold`.
  func run(
    count: Int, gradient: UnsafePointer<Float>, firstMoment: UnsafeMutablePointer<Float>,
    secondMoment: UnsafeMutablePointer<Float>, parameter: UnsafeMutablePointer<Float>
  ) {
    let constants = ElementwiseKernels.AdamConstants(
      beta1: beta1, beta2: beta2, epsilon: epsilon, rate: rate, l2: l2, shrink: shrink,
      firstCorrection: firstCorrection, secondCorrection: secondCorrection, flushThreshold: Adam.flushThreshold)
    ElementwiseParallelism.forEachPart(of: count) { range in
      ElementwiseKernels.adamUpdate(range, constants, gradient: gradient, firstMoment: firstMoment,
                                    secondMoment: secondMoment, parameter: parameter)
    }
  }
}

/// AdamW (Loshchilov & Hutter 2019, arXiv:1711.05101): Adam with decoupled weight decay,
/// θ ← θ − ηλθ applied directly to the weights rather than through the gradient.
public struct AdamW: Optimizer {
  public static let kind = "adamw"
  public var hyperparameters: Adam.Hyperparameters
  /// Per-parameter state in the module's parameter order; settable so checkpoints can restore it.
  public var states: [AdamState] = []
  public var parameterSettings: [String: ParameterSettings] = [:]

  public var learningRate: Float {
    get { hyperparameters.learningRate }
    set { hyperparameters.learningRate = newValue }
  }

  /// Throws `OptimizerConfigurationError` naming the first invalid value.
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0.01
  ) throws {
    hyperparameters = try Adam.validated(Adam.Hyperparameters(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay))
  }

  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients, owned: [Bool]?) {
    Adam.applyUpdate(&model, along: gradients, owned: owned, states: &states, hyperparameters, parameterSettings, decoupled: true)
  }

  public func exportState(paths: [String]) -> OptimizerState { Adam.export(states, paths: paths) }

  public mutating func importState(_ state: OptimizerState, paths: [String]) throws {
    states = try Adam.imported(state, paths: paths)
  }
}
