import KilnNN
import KilnOptim
import KilnConfiguration

/// The optimizers an experiment file can name, and how each is built from its configuration: the
/// one place a new optimizer is registered (with its `OptimizerConfiguration.Kind` case). The
/// hyperparameters are checked by the optimizers' initialisers, with the same rules the
/// experiment file's validation uses (`Hyperparameter`).
public enum OptimizerRegistry {
  /// The optimizer for `configuration` with PyTorch's defaults for what the file leaves out, its
  /// parameter groups resolved against `parameters` (`Module.parameterKinds`).
  /// Throws `OptimizerConfigurationError` naming a bad hyperparameter, or a `TrainingError` naming
  /// a parameter group that matches no parameter.
  public static func makeOptimizer(_ configuration: OptimizerConfiguration,
                                   parameters: [(path: String, kind: ParameterKind)]) throws -> any Optimizer {
    var optimizer = try make(configuration)
    optimizer.parameterSettings = try parameterSettings(configuration, parameters: parameters)
    return optimizer
  }

  static func make(_ c: OptimizerConfiguration) throws -> any Optimizer {
    let rate = Float(c.lr)
    switch c.kind {
    case .sgd:
      return try SGD(learningRate: rate, momentum: Float(c.momentum ?? 0), nesterov: c.nesterov ?? false,
                     weightDecay: Float(c.weightDecay ?? 0))
    case .adam:
      return try Adam(learningRate: rate, beta1: Float(c.beta1 ?? 0.9), beta2: Float(c.beta2 ?? 0.999),
                      epsilon: Float(c.epsilon ?? 1e-8), weightDecay: Float(c.weightDecay ?? 0))
    case .adamw:
      return try AdamW(learningRate: rate, beta1: Float(c.beta1 ?? 0.9), beta2: Float(c.beta2 ?? 0.999),
                       epsilon: Float(c.epsilon ?? 1e-8), weightDecay: Float(c.weightDecay ?? 0.01))
    case .rmsprop:
      return try RMSprop(learningRate: rate, alpha: Float(c.alpha ?? 0.99), epsilon: Float(c.epsilon ?? 1e-8),
                         momentum: Float(c.momentum ?? 0), weightDecay: Float(c.weightDecay ?? 0))
    }
  }

  /// Each parameter takes the first group that matches it: the file's `param_groups` in order,
  /// then `ParameterGroupConfiguration.noDecayOnBiasesAndNormalization`; a parameter no group
  /// matches keeps the optimizer's own settings.
  static func parameterSettings(_ configuration: OptimizerConfiguration,
                                parameters: [(path: String, kind: ParameterKind)]) throws -> [String: ParameterSettings] {
    let declared = configuration.paramGroups ?? []
    for (index, group) in declared.enumerated()
    where !parameters.contains(where: { group.matches(path: $0.path, kind: $0.kind.rawValue) }) {
      throw TrainingError(.configuration, "training.optimizer.param_groups[\(index)] matches no parameter of the model "
                          + "(its parameters: \(parameters.map { "\($0.path) (\($0.kind.rawValue))" }.joined(separator: ", ")))",
                          hint: "fix the group's `kinds` or `paths`, or remove the group")
    }
    var settings: [String: ParameterSettings] = [:]
    for (path, kind) in parameters {
      guard let group = (declared + [.noDecayOnBiasesAndNormalization]).first(where: { $0.matches(path: path, kind: kind.rawValue) })
      else { continue }
      settings[path] = try ParameterSettings(learningRateFactor: group.lr.map { Float($0 / configuration.lr) } ?? 1,
                                             weightDecay: group.weightDecay.map(Float.init))
    }
    return settings
  }
}
