import KilnAutograd
import KilnTensor
import KilnRandom
/// A multilayer perceptron: Linear → activation → dropout, repeated for each hidden size, then a
/// final Linear to `outputSize` (no activation: the output is logits or a regression value).
/// With no hidden sizes it is a single Linear layer, i.e. logistic (or linear) regression.
///
/// Parameter paths: `layers.0.weight`, `layers.0.bias`, `layers.1.weight`, …
public struct MLP: Layer {
  public var layers: [Linear]
  public let activation: Activation
  public var dropout: Dropout?

  /// - Parameters:
  ///   - dropout: the drop probability after each hidden activation (0 for none).
  ///   - dropoutSeed: keys the dropout masks (`Dropout`): the run's seed.
  ///   - generator: draws the weights (Kaiming for ReLU-family activations, Xavier otherwise).
  public init(
    inputSize: Int, hiddenSizes: [Int], outputSize: Int, activation: Activation = .relu,
    dropout: Float = 0, dropoutSeed: UInt64 = 0, generator: inout SeededGenerator
  ) {
    let sizes = [inputSize] + hiddenSizes + [outputSize]
    var layers: [Linear] = []
    for index in 0..<(sizes.count - 1) {
      let isOutput = index == sizes.count - 2
      layers.append(Linear(inputSize: sizes[index], outputSize: sizes[index + 1],
                           initializer: isOutput ? .xavierUniform : activation.preferredInitializer,
                           generator: &generator))
    }
    self.layers = layers
    self.activation = activation
    self.dropout = dropout > 0 ? Dropout(probability: dropout, seed: dropoutSeed) : nil
  }

  public func callAsFunction(_ input: Variable) -> Variable {
    // A one-output head straight on the last ReLU layer runs fused with it (`linearReLUHead`).
    let fusesHead = activation == .relu && dropout == nil && layers.count >= 2 && layers[layers.count - 1].outputSize == 1
    var hidden = input
    for (index, layer) in layers.enumerated() {
      if fusesHead && index == layers.count - 2 { return layer.appliedWithReLU(hidden, thenHead: layers[index + 1]) }
      if index == layers.count - 1 {
        hidden = layer(hidden)
      } else {
        hidden = activation == .relu ? layer.appliedWithReLU(hidden) : activation(layer(hidden))
        if let dropout { hidden = dropout(hidden, layer: index) }
      }
    }
    return hidden
  }

  /// The forward pass on a plain tensor, recording nothing (for evaluation and prediction).
  public func callAsFunction(_ input: Tensor) -> Tensor { detached()(Variable(input)).value }

  public mutating func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void) {
    for index in layers.indices {
      layers[index].visitParameters(prefix: prefix + "layers.\(index).", visit)
    }
  }

  public mutating func setTraining(_ isTraining: Bool) { dropout?.setTraining(isTraining) }
}
