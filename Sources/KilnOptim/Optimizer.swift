import KilnOutput
import KilnTensor
import KilnNN
import KilnHyperparameters

/// Updates a module's parameters from their gradients, keeping per-parameter state in the module's
/// parameter order: `optimizer.update(&model, along: gradients)`.
///
/// Each optimizer carries its own state, its parameter groups and the way its state is saved, so
/// the trainer and checkpoints handle every optimizer alike; a new optimizer is one type
/// conforming here plus one line in the trainer's registry.
public protocol Optimizer {
  /// The name experiment files and checkpoints give the optimizer (`adam`).
  static var kind: String { get }
  /// The step size η used by the next update (schedules set it between steps).
  var learningRate: Float { get set }
  /// Settings of parameter groups by parameter path; a parameter not named uses the optimizer's own.
  var parameterSettings: [String: ParameterSettings] { get set }
  /// Steps the parameters whose `owned` entry is true (all when `owned` is nil), leaving the
  /// others and their state untouched: with the optimizer sharded over data-parallel ranks
  /// (ZeRO stage 1), each rank steps the parameters it owns.
  mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients, owned: [Bool]?)
  /// The state as named tensors (`PATH/first_moment`, …) and counters (`PATH/step`) for the
  /// parameters in `paths` order; empty before the first update.
  func exportState(paths: [String]) -> OptimizerState
  /// Restores state exported by `exportState(paths:)`; an empty export restores the fresh state.
  /// Throws `OptimizerStateError` naming an entry the export lacks.
  mutating func importState(_ state: OptimizerState, paths: [String]) throws
}

/// An optimizer's state by name, as checkpoints store it.
public struct OptimizerState: Sendable {
  public var tensors: [String: Tensor]
  public var counters: [String: Int]

  public init(tensors: [String: Tensor] = [:], counters: [String: Int] = [:]) {
    self.tensors = tensors
    self.counters = counters
  }

  /// The tensor stored as `name`.
  public func tensor(_ name: String) throws -> Tensor {
    guard let value = tensors[name] else { throw OptimizerStateError(missing: name) }
    return value
  }
}

/// Saved optimizer state that lacks an entry the optimizer needs.
public struct OptimizerStateError: KilnError, Sendable {
  /// The entry's name, e.g. `layers.0.weight.exp_avg`.
  public let missing: String
  public var message: String { "the optimizer state lacks `\(missing)`" }
  public var hint: String? { "the state was saved by a different optimizer or for a different model" }
}

/// One parameter's own settings, replacing the optimizer's (a parameter group, as in PyTorch):
/// its learning rate is the optimizer's current rate times `learningRateFactor` (so schedules
/// scale every group alike), and its weight decay λ is `weightDecay` when given.
public struct ParameterSettings: Sendable, Equatable {
  public let learningRateFactor: Float
  public let weightDecay: Float?

  /// Throws `OptimizerConfigurationError` for a factor that is not positive or a negative decay.
  public init(learningRateFactor: Float = 1, weightDecay: Float? = nil) throws {
    try OptimizerConfigurationError.check(.lr, learningRateFactor, name: "learning-rate factor")
    if let weightDecay { try OptimizerConfigurationError.check(.weightDecay, weightDecay) }
    self.learningRateFactor = learningRateFactor
    self.weightDecay = weightDecay
  }
}

/// The hyperparameters every optimizer has, which parameter groups replace per parameter.
protocol GroupedHyperparameters {
  var learningRate: Float { get set }
  var weightDecay: Float { get set }
}

extension GroupedHyperparameters {
  /// These hyperparameters with `settings` applied.
  func applying(_ settings: ParameterSettings?) -> Self {
    guard let settings else { return self }
    var applied = self
    applied.learningRate *= settings.learningRateFactor
    if let decay = settings.weightDecay { applied.weightDecay = decay }
    return applied
  }
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

  static let hint = "fix the optimizer settings in the experiment file"

  /// Throws unless `hyperparameter`'s one range rule accepts `value`.
  static func check(_ hyperparameter: Hyperparameter, _ value: Float, name: String? = nil) throws {
    guard !hyperparameter.accepts(Double(value)) else { return }
    throw OptimizerConfigurationError(parameter: name ?? hyperparameter.rawValue, value: Double(value),
                                      requirement: hyperparameter.requirement, hint: hint)
  }

  /// Throws unless `isValid` (a rule between hyperparameters, such as Nesterov's need for momentum).
  static func check(_ parameter: String, _ value: Float, _ isValid: Bool, _ requirement: String) throws {
    guard !isValid else { return }
    throw OptimizerConfigurationError(parameter: parameter, value: Double(value), requirement: requirement, hint: hint)
  }
}

extension Optimizer {
  /// Steps every parameter.
  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients) {
    update(&model, along: gradients, owned: nil)
  }
}

extension Module {
  /// Calls `body(index, path, parameter, gradient)` for every parameter in order whose `owned`
  /// entry is true (every one when `owned` is nil), with the parameter's tensor passed `inout` so
  /// that uniquely held storage is updated in place.
  mutating func updateParameters(
    along gradients: Gradients, owned: [Bool]?, _ body: (Int, String, inout Tensor, Tensor) -> Void
  ) {
    precondition(owned.map { $0.count == gradients.paths.count } ?? true,
                 "update: \(owned?.count ?? 0) ownership flags for \(gradients.paths.count) parameters")
    var index = 0
    visitParameters(prefix: "") { path, parameter in
      precondition(index < gradients.paths.count && gradients.paths[index] == path,
                   "update: gradient paths \(gradients.paths) do not match parameter \(path)")
      let gradient = gradients.tensors[index]
      if owned?[index] ?? true {
        precondition(gradient.shape == parameter.shape,
                     "update: gradient \(gradient.shape) does not match parameter \(path) \(parameter.shape)")
        body(index, path, &parameter.value, gradient)
      }
      index += 1
    }
    precondition(index == gradients.paths.count,
                 "update: \(gradients.paths.count) gradients for \(index) parameters")
  }
}

/// Rescales all gradients together so that their global norm is at most `maximumNorm`:
/// g ← g · min(1, maximumNorm / ‖g‖₂), ‖g‖₂ over all parameters (Pascanu et al. 2013,
/// arXiv:1211.5063). Returns the norm before clipping. A caller that has the norm already (a
/// sharded optimizer assembles it over ranks) passes it as `norm`, and with `owned` only the
/// gradients it will step are rescaled.
@discardableResult
public func clipByGlobalNorm(_ gradients: inout Gradients, maximumNorm: Float, norm known: Float? = nil,
                             owned: [Bool]? = nil) -> Float {
  precondition(maximumNorm > 0, "clipByGlobalNorm: maximum norm \(maximumNorm) must be positive")
  let norm = known ?? gradients.globalNorm()
  guard norm > maximumNorm else { return norm }
  for index in gradients.tensors.indices where owned?[index] ?? true {
    gradients.tensors[index] *= maximumNorm / norm
  }
  return norm
}
