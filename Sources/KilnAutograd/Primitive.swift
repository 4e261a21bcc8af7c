import KilnTensor
/// How a loss over a batch is reduced to one number.
public enum LossReduction: String, Sendable, Codable {
  /// Σᵢ wᵢ·lᵢ / Σᵢ wᵢ (the plain mean when there are no weights).
  case mean
  /// Σᵢ wᵢ·lᵢ.
  case sum
}

/// Every differentiable primitive, with what its backward rule needs saved from the forward pass.
/// The rules themselves are in `Primitive+Backward.swift`; composites (subtract a scalar, mean,
/// variance, MSE, layer norm, …) are built from these and have no rule of their own.
enum Primitive {
  case leaf
  case add(lhsShape: [Int], rhsShape: [Int])
  case subtract(lhsShape: [Int], rhsShape: [Int])
  case multiply(lhs: Tensor, rhs: Tensor)
  case divide(lhs: Tensor, rhs: Tensor)
  case scale(Float)
  case negate
  case exp(output: Tensor)
  case log(input: Tensor)
  case squareRoot(output: Tensor)
  case power(input: Tensor, exponent: Float)
  case abs(input: Tensor)
  case clamp(input: Tensor, lower: Float, upper: Float)
  case relu(output: Tensor)
  case leakyRelu(input: Tensor, slope: Float)
  case gelu(input: Tensor)
  case sigmoid(output: Tensor)
  case tanh(output: Tensor)
  case maximum(lhs: Tensor, rhs: Tensor)
  case minimum(lhs: Tensor, rhs: Tensor)
  case select(condition: Tensor, lhsShape: [Int], rhsShape: [Int])
  case sum(inputShape: [Int], keptShape: [Int])
  case max(input: Tensor, keptOutput: Tensor)
  case logSumExp(input: Tensor, keptOutput: Tensor)
  case softmax(output: Tensor, axis: Int)
  case logSoftmax(output: Tensor, axis: Int)
  case matmul(lhs: Tensor, rhs: Tensor)
  case linear(input: Tensor, weight: Tensor, hasBias: Bool)
  /// relu(input·weightᵀ + bias), fused: saves a pass and a buffer in every hidden layer.
  case linearReLU(input: Tensor, weight: Tensor, hasBias: Bool, output: Tensor)
  /// relu(input·weightᵀ + bias)·headWeightᵀ + headBias with a one-output head, fused: the head's
  /// forward shares the ReLU's pass, and its backward shares the mask's. Saved: the ReLU's output,
  /// which nothing else holds; the backward rule takes it and writes the gradient over it.
  case linearReLUHead(input: Tensor, weight: Tensor, hasBias: Bool, hidden: SavedTensor, headWeight: Tensor,
                      hasHeadBias: Bool)
  case reshape(inputShape: [Int])
  case permute(axes: [Int])
  case broadcast(inputShape: [Int])
  case concatenate(extents: [Int], axis: Int)
  case gatherRows(indices: [Int], rowCount: Int)
  case sliceRows(range: Range<Int>, rowCount: Int)
  /// Saved: σ(z) − y per sample and each sample's coefficient ∂loss/∂lᵢ.
  case binaryCrossEntropyWithLogits(residual: Tensor, coefficients: Tensor)
  /// Saved: softmax probabilities, the label of each row and each row's coefficient ∂loss/∂lᵢ.
  case softmaxCrossEntropyWithLogits(probabilities: Tensor, labels: [Int], coefficients: Tensor)
}

/// A tensor saved for a backward rule that takes it (once: a tape is swept once), so that the rule
/// holds the only reference and may write over its storage.
final class SavedTensor {
  private var tensor: Tensor?

  init(_ tensor: Tensor) { self.tensor = tensor }

  func take() -> Tensor {
    guard let tensor else { preconditionFailure("autograd: a saved tensor was taken twice (a tape is swept once)") }
    self.tensor = nil
    return tensor
  }
}
