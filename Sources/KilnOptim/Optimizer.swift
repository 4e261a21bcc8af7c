import KilnOutput
import KilnTensor
import KilnNN

/// Updates a module's parameters from their gradients, keeping per-parameter state in the module's
/// parameter order: `optimizer.update(&model, along: gradients)`.
public protocol Optimizer {
  /// The step size η used by the next update (schedules set it between steps).
  var learningRate: Float { get set }
  mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients)
}

/// A hyperparameter outside its valid range.
public struct OptimizerConfigurationError: KilnError, Sendable {
  /// The hyperparameter's name, e.g. `beta1`.
  public let parameter: String
  public let value: Double
  /// What the value must satisfy, e.g. `must be in [0, 1)`.
  public let requirement: String
  public let hint: String?

  public var message: String { "Invalid \(parameter) \(value): \(requirement)" }

  /// Throws unless `isValid`.
  static func check(
    _ parameter: String, _ value: Float, _ isValid: Bool, _ requirement: String,
    hint: String = "fix the optimizer settings in the experiment file"
  ) throws {
    if !isValid || value.isNaN {
      throw OptimizerConfigurationError(parameter: parameter, value: Double(value),
                                        requirement: requirement, hint: hint)
    }
  }
}

extension Module {
  /// Calls `body(index, parameter, gradient)` for every parameter in order, with the parameter's
  /// tensor passed `inout` so that uniquely held storage is updated in place.
  mutating func updateParameters(
    along gradients: Gradients, _ body: (Int, inout Tensor, Tensor) -> Void
  ) {
    var index = 0
    visitParameters(prefix: "") { path, parameter in
      precondition(index < gradients.paths.count && gradients.paths[index] == path,
                   "update: gradient paths \(gradients.paths) do not match parameter \(path)")
      let gradient = gradients.tensors[index]
      precondition(gradient.shape == parameter.shape,
                   "update: gradient \(gradient.shape) does not match parameter \(path) \(parameter.shape)")
      body(index, &parameter.value, gradient)
      index += 1
    }
    precondition(index == gradients.paths.count,
                 "update: \(gradients.paths.count) gradients for \(index) parameters")
  }
}

/// Rescales all gradients together so that their global norm is at most `maximumNorm`:
/// g ← g · min(1, maximumNorm / ‖g‖₂), ‖g‖₂ over all parameters (Pascanu et al. 2013,
/// arXiv:1211.5063). Returns the norm before clipping.
@discardableResult
public func clipByGlobalNorm(_ gradients: inout Gradients, maximumNorm: Float) -> Float {
  precondition(maximumNorm > 0, "clipByGlobalNorm: maximum norm \(maximumNorm) must be positive")
  let norm = gradients.globalNorm()
  if norm > maximumNorm { gradients.scale(by: maximumNorm / norm) }
  return norm
}
