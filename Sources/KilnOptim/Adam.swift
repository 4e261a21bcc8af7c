import Foundation

/// Adam's per-parameter state: the moment estimates and the number of steps taken.
public struct AdamState: Sendable {
  /// m, the exponential average of gradients.
  public var firstMoment: Tensor
  /// v, the exponential average of squared gradients.
  public var secondMoment: Tensor
  /// t, the number of updates applied.
  public var step: Int

  public init(like parameter: Tensor) {
    firstMoment = Tensor.zeros(shape: parameter.shape)
    secondMoment = Tensor.zeros(shape: parameter.shape)
    step = 0
  }
}

/// Adam (Kingma & Ba 2015, arXiv:1412.6980), with optional L2 weight decay added to the gradient.
public struct Adam: Optimizer {
  public struct Hyperparameters: Sendable, Codable, Equatable {
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
  /// One state per parameter, in the module's order (created on the first update).
  public private(set) var states: [AdamState] = []

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
    try OptimizerConfigurationError.check("learning rate", h.learningRate, h.learningRate >= 0, "must be ≥ 0")
    try OptimizerConfigurationError.check("beta1", h.beta1, h.beta1 >= 0 && h.beta1 < 1, "must be in [0, 1)")
    try OptimizerConfigurationError.check("beta2", h.beta2, h.beta2 >= 0 && h.beta2 < 1, "must be in [0, 1)")
    try OptimizerConfigurationError.check("epsilon", h.epsilon, h.epsilon >= 0, "must be ≥ 0")
    try OptimizerConfigurationError.check("weight decay", h.weightDecay, h.weightDecay >= 0, "must be ≥ 0")
    return h
  }

  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients) {
    let h = hyperparameters
    Adam.applyUpdate(&model, along: gradients, states: &states, h, decoupled: false)
  }

  /// Shared by Adam and AdamW: creates missing state, then steps every parameter.
  static func applyUpdate<Model: Module>(
    _ model: inout Model, along gradients: Gradients, states: inout [AdamState],
    _ h: Hyperparameters, decoupled: Bool
  ) {
    if states.isEmpty { states = gradients.tensors.map { AdamState(like: $0) } }
    model.updateParameters(along: gradients) { index, parameter, gradient in
      step(&parameter, gradient: gradient, state: &states[index], h, decoupled: decoupled)
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

/// The arithmetic of one Adam step over raw buffers, eight lanes at a time (the scalar tail uses
/// the same formula), so the update runs at memory speed.
struct AdamKernel {
  let beta1: Float, beta2: Float, epsilon: Float, rate: Float, l2: Float, shrink: Float
  let firstCorrection: Float, secondCorrection: Float

  @inline(__always)
  func lanes(
    _ g: SIMD8<Float>, _ m: inout SIMD8<Float>, _ v: inout SIMD8<Float>, _ theta: inout SIMD8<Float>
  ) {
    let grad = g + SIMD8(repeating: l2) * theta
    var first = SIMD8(repeating: beta1) * m + SIMD8(repeating: 1 - beta1) * grad
    var second = SIMD8(repeating: beta2) * v + SIMD8(repeating: 1 - beta2) * grad * grad
    // Moments of parameters that stop receiving gradient decay geometrically into the subnormal
    // range, where arithmetic is about 100× slower; flush them to zero.
    let tiny = SIMD8<Float>(repeating: Adam.flushThreshold)
    first.replace(with: 0, where: first .< tiny .& first .> -tiny)
    second.replace(with: 0, where: second .< tiny)
    m = first
    v = second
    let denominator = (second * SIMD8(repeating: secondCorrection)).squareRoot() + SIMD8(repeating: epsilon)
    theta = theta * SIMD8(repeating: shrink)
      - SIMD8(repeating: rate) * (first * SIMD8(repeating: firstCorrection)) / denominator
  }

  /// The same formula for one scalar (the tail after the last full group of eight).
  @inline(__always)
  func scalar(_ g: Float, _ m: inout Float, _ v: inout Float, _ theta: inout Float) {
    let grad = g + l2 * theta
    let first = beta1 * m + (1 - beta1) * grad
    let second = beta2 * v + (1 - beta2) * grad * grad
    m = Swift.abs(first) < Adam.flushThreshold ? 0 : first
    v = second < Adam.flushThreshold ? 0 : second
    theta = theta * shrink - rate * (m * firstCorrection) / ((v * secondCorrection).squareRoot() + epsilon)
  }

  func run(
    count: Int, gradient: UnsafePointer<Float>, firstMoment: UnsafeMutablePointer<Float>,
    secondMoment: UnsafeMutablePointer<Float>, parameter: UnsafeMutablePointer<Float>
  ) {
    let width = 8
    var index = 0
    while index + width <= count {
      let g = UnsafeRawPointer(gradient + index).loadUnaligned(as: SIMD8<Float>.self)
      var m = UnsafeRawPointer(firstMoment + index).loadUnaligned(as: SIMD8<Float>.self)
      var v = UnsafeRawPointer(secondMoment + index).loadUnaligned(as: SIMD8<Float>.self)
      var theta = UnsafeRawPointer(parameter + index).loadUnaligned(as: SIMD8<Float>.self)
      lanes(g, &m, &v, &theta)
      UnsafeMutableRawPointer(firstMoment + index).storeBytes(of: m, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(secondMoment + index).storeBytes(of: v, as: SIMD8<Float>.self)
      UnsafeMutableRawPointer(parameter + index).storeBytes(of: theta, as: SIMD8<Float>.self)
      index += width
    }
    while index < count {
      scalar(gradient[index], &firstMoment[index], &secondMoment[index], &parameter[index])
      index += 1
    }
  }
}

/// AdamW (Loshchilov & Hutter 2019, arXiv:1711.05101): Adam with decoupled weight decay,
/// θ ← θ − ηλθ applied directly to the weights rather than through the gradient.
public struct AdamW: Optimizer {
  public var hyperparameters: Adam.Hyperparameters
  public private(set) var states: [AdamState] = []

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

  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients) {
    let h = hyperparameters
    Adam.applyUpdate(&model, along: gradients, states: &states, h, decoupled: true)
  }
}
