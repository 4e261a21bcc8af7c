import KilnAutograd
import KilnTensor
import KilnRandom
/// A fully connected layer y = x·Wᵀ + b with W shaped [outputSize, inputSize] (PyTorch's layout),
/// computed by the fused `linear` primitive (one `cblas_sgemm` accumulating onto the bias).
public struct Linear: Layer {
  /// [outputSize, inputSize].
  public var weight: Variable
  /// [outputSize], or nil for a layer without bias.
  public var bias: Variable?

  /// A layer with weights drawn by `initializer` from `generator` and a zero bias.
  public init(
    inputSize: Int, outputSize: Int, hasBias: Bool = true,
    initializer: Initializer = .kaimingUniform, generator: inout SeededGenerator
  ) {
    precondition(inputSize > 0 && outputSize > 0,
                 "Linear: sizes must be positive, got input \(inputSize) and output \(outputSize)")
    weight = Variable(initializer.tensor(shape: [outputSize, inputSize], using: &generator))
    bias = hasBias ? Variable(Tensor.zeros(shape: [outputSize])) : nil
  }

  public var inputSize: Int { weight.shape[1] }
  public var outputSize: Int { weight.shape[0] }

  public func callAsFunction(_ input: Variable) -> Variable {
    linear(input, weight: weight, bias: bias)
  }

  /// relu(self(input)), computed by the fused `linearReLU` primitive.
  public func appliedWithReLU(_ input: Variable) -> Variable {
    linearReLU(input, weight: weight, bias: bias)
  }

  /// head(relu(self(input))) for a one-output `head`, computed by the fused `linearReLUHead`
  /// primitive.
  public func appliedWithReLU(_ input: Variable, thenHead head: Linear) -> Variable {
    precondition(head.outputSize == 1 && head.inputSize == outputSize,
                 "Linear: a fused head takes \(outputSize) inputs to 1 output, got \(head.inputSize) to \(head.outputSize)")
    return linearReLUHead(input, weight: weight, bias: bias, headWeight: head.weight, headBias: head.bias)
  }

  public mutating func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void) {
    visit(prefix + "weight", &weight)
    if bias != nil { visit(prefix + "bias", &bias!) }
  }
}
