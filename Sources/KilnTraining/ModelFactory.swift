import KilnRandom
import KilnNN
import KilnConfiguration

/// Builds the network an experiment file describes (the optimizer comes from `OptimizerRegistry`).
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
}
