import KilnTensor
import KilnNN
import KilnOptim
import KilnConfiguration

/// One of Kiln's optimizers, chosen by the experiment file, with its state exportable by
/// parameter path so checkpoints can save and restore it exactly.
public enum TrainingOptimizer {
  case sgd(SGD)
  case adam(Adam)
  case adamW(AdamW)
  case rmsprop(RMSprop)

  public var learningRate: Float {
    get {
      switch self {
      case .sgd(let optimizer): return optimizer.learningRate
      case .adam(let optimizer): return optimizer.learningRate
      case .adamW(let optimizer): return optimizer.learningRate
      case .rmsprop(let optimizer): return optimizer.learningRate
      }
    }
    set {
      switch self {
      case .sgd(var optimizer): optimizer.learningRate = newValue; self = .sgd(optimizer)
      case .adam(var optimizer): optimizer.learningRate = newValue; self = .adam(optimizer)
      case .adamW(var optimizer): optimizer.learningRate = newValue; self = .adamW(optimizer)
      case .rmsprop(var optimizer): optimizer.learningRate = newValue; self = .rmsprop(optimizer)
      }
    }
  }

  /// The optimizer's name as written in experiment files.
  public var kind: String {
    switch self {
    case .sgd: return "sgd"
    case .adam: return "adam"
    case .adamW: return "adamw"
    case .rmsprop: return "rmsprop"
    }
  }

  public mutating func update<Model: Module>(_ model: inout Model, along gradients: Gradients) {
    switch self {
    case .sgd(var optimizer): optimizer.update(&model, along: gradients); self = .sgd(optimizer)
    case .adam(var optimizer): optimizer.update(&model, along: gradients); self = .adam(optimizer)
    case .adamW(var optimizer): optimizer.update(&model, along: gradients); self = .adamW(optimizer)
    case .rmsprop(var optimizer): optimizer.update(&model, along: gradients); self = .rmsprop(optimizer)
    }
  }

  /// The state as named tensors (`PATH/first_moment`, …) plus integer counters (`PATH/step`),
  /// for the parameters in `paths` order. Empty before the first update.
  public func exportState(paths: [String]) -> (tensors: [String: Tensor], counters: [String: Int]) {
    var tensors: [String: Tensor] = [:], counters: [String: Int] = [:]
    switch self {
    case .sgd(let optimizer):
      for (path, state) in zip(paths, optimizer.states) {
        if let velocity = state.velocity { tensors["\(path)/velocity"] = velocity }
      }
    case .adam(let optimizer):
      export(optimizer.states, paths, &tensors, &counters)
    case .adamW(let optimizer):
      export(optimizer.states, paths, &tensors, &counters)
    case .rmsprop(let optimizer):
      for (path, state) in zip(paths, optimizer.states) {
        tensors["\(path)/square_average"] = state.squareAverage
        tensors["\(path)/momentum_buffer"] = state.momentumBuffer
      }
    }
    return (tensors, counters)
  }

  private func export(_ states: [AdamState], _ paths: [String], _ tensors: inout [String: Tensor], _ counters: inout [String: Int]) {
    for (path, state) in zip(paths, states) {
      tensors["\(path)/first_moment"] = state.firstMoment
      tensors["\(path)/second_moment"] = state.secondMoment
      counters["\(path)/step"] = state.step
    }
  }

  /// Restores state exported by `exportState(paths:)`; an empty export restores the fresh state.
  public mutating func importState(paths: [String], tensors: [String: Tensor], counters: [String: Int]) throws {
    guard !tensors.isEmpty else { return }
    func tensor(_ name: String) throws -> Tensor {
      guard let value = tensors[name] else {
        throw TrainingError(.checkpoint, "the checkpoint's optimizer state lacks `\(name)`",
                            hint: "the checkpoint was written by a different optimizer or model; start a new run")
      }
      return value
    }
    switch self {
    case .sgd(var optimizer):
      optimizer.states = paths.map { SGDState(velocity: tensors["\($0)/velocity"]) }
      self = .sgd(optimizer)
    case .adam(var optimizer):
      optimizer.states = try paths.map { AdamState(firstMoment: try tensor("\($0)/first_moment"), secondMoment: try tensor("\($0)/second_moment"),
                                                   step: counters["\($0)/step"] ?? 0) }
      self = .adam(optimizer)
    case .adamW(var optimizer):
      optimizer.states = try paths.map { AdamState(firstMoment: try tensor("\($0)/first_moment"), secondMoment: try tensor("\($0)/second_moment"),
                                                   step: counters["\($0)/step"] ?? 0) }
      self = .adamW(optimizer)
    case .rmsprop(var optimizer):
      optimizer.states = try paths.map { RMSpropState(squareAverage: try tensor("\($0)/square_average"),
                                                      momentumBuffer: try tensor("\($0)/momentum_buffer")) }
      self = .rmsprop(optimizer)
    }
  }
}
