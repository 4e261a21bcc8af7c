import KilnAutograd
import KilnTensor
/// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016, arXiv:1607.06450):
/// y = (x − μ) / √(σ² + ε) · γ + β, with μ and σ² the mean and population variance of each row.
/// A composite of primitives, so it has no backward rule of its own.
public struct LayerNorm: Layer {
  /// γ, [featureCount], initialised to ones.
  public var weight: Variable
  /// β, [featureCount], initialised to zeros.
  public var bias: Variable
  public let epsilon: Float

  public init(featureCount: Int, epsilon: Float = 1e-5) {
    precondition(featureCount > 0, "LayerNorm: feature count \(featureCount) must be positive")
    precondition(epsilon > 0, "LayerNorm: epsilon \(epsilon) must be positive")
    weight = Variable(Tensor.ones(shape: [featureCount]))
    bias = Variable(Tensor.zeros(shape: [featureCount]))
    self.epsilon = epsilon
  }

  public func callAsFunction(_ input: Variable) -> Variable {
    precondition(input.shape.last == weight.shape[0],
                 "LayerNorm: input \(input.shape) does not end in \(weight.shape[0]) features")
    let centered = input - input.mean(alongAxes: [-1], keepingDimensions: true)
    let variance = (centered * centered).mean(alongAxes: [-1], keepingDimensions: true)
    return centered / (variance + epsilon).squareRoot() * weight + bias
  }

  public mutating func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void) {
    visit(prefix + "weight", &weight)
    visit(prefix + "bias", &bias)
  }

  public func visitParameterKinds(prefix: String, _ visit: (String, ParameterKind) -> Void) {
    visit(prefix + "weight", .normalization)
    visit(prefix + "bias", .normalization)
  }
}
