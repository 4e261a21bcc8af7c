import KilnRandom
import KilnNN
import KilnOptim
import KilnConfiguration

/// Builds the network and the optimizer an experiment file describes.
public enum ModelFactory {
  /// The MLP for `configuration`: `classCount` 2 gives one logit (binary), more gives one per class.
  /// Logistic regression is an MLP with no hidden layers.
  public static func makeModel(_ configuration: ModelConfiguration, inputSize: Int, classCount: Int, seed: UInt64) -> MLP {
    precondition(classCount >= 2, "makeModel: a classifier needs at least 2 classes, found \(classCount)")
    return makeModel(configuration, inputSize: inputSize, outputSize: classCount == 2 ? 1 : classCount, seed: seed)
  }

  /// The MLP for `configuration` with `outputSize` outputs (`ModelHead.outputSize`: 1 for binary
  /// and regression, K for multiclass). The weights come from `seed`'s parameter-initialization
  /// stream and the dropout masks are keyed by `seed` (see `RandomStream`).
  public static func makeModel(_ configuration: ModelConfiguration, inputSize: Int, outputSize: Int, seed: UInt64) -> MLP {
    precondition(outputSize >= 1, "makeModel: the network needs at least 1 output, found \(outputSize)")
    let hidden = configuration.kind == .mlp ? (configuration.hidden ?? [64, 64]) : []
    var generator = SeededGenerator(seed: seed, stream: .parameterInitialization)
    return MLP(inputSize: inputSize, hiddenSizes: hidden, outputSize: outputSize,
               activation: activation(configuration.activation ?? .relu),
               dropout: hidden.isEmpty ? 0 : Float(configuration.dropout ?? 0), dropoutSeed: seed, generator: &generator)
  }

  static func activation(_ name: ModelConfiguration.Activation) -> Activation {
    switch name {
    case .relu: return .relu
    case .leakyRelu: return .leakyRelu
    case .gelu: return .gelu
    case .tanh: return .tanh
    case .sigmoid: return .sigmoid
    }
  }

  /// The optimizer for `configuration`, with PyTorch's defaults for what the file leaves out.
  /// Throws the optimizer's own error naming a bad hyperparameter.
  public static func makeOptimizer(_ configuration: OptimizerConfiguration) throws -> TrainingOptimizer {
    let rate = Float(configuration.lr)
    let decay = Float(configuration.weightDecay ?? 0)
    switch configuration.kind {
    case .sgd:
      return .sgd(try SGD(learningRate: rate, momentum: Float(configuration.momentum ?? 0),
                          nesterov: configuration.nesterov ?? false, weightDecay: decay))
    case .adam:
      return .adam(try Adam(learningRate: rate, beta1: Float(configuration.beta1 ?? 0.9), beta2: Float(configuration.beta2 ?? 0.999),
                            epsilon: Float(configuration.epsilon ?? 1e-8), weightDecay: decay))
    case .adamw:
      return .adamW(try AdamW(learningRate: rate, beta1: Float(configuration.beta1 ?? 0.9), beta2: Float(configuration.beta2 ?? 0.999),
                              epsilon: Float(configuration.epsilon ?? 1e-8), weightDecay: Float(configuration.weightDecay ?? 0.01)))
    case .rmsprop:
      return .rmsprop(try RMSprop(learningRate: rate, alpha: Float(configuration.alpha ?? 0.99), epsilon: Float(configuration.epsilon ?? 1e-8),
                                  momentum: Float(configuration.momentum ?? 0), weightDecay: decay))
    }
  }
}
