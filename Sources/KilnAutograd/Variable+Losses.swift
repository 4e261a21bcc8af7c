import KilnTensor
import Foundation

/// Per-sample coefficients ∂loss/∂lᵢ: wᵢ/Σw (or 1/n) for a mean, wᵢ (or 1) for a sum.
func lossCoefficients(count: Int, weights: Tensor?, reduction: LossReduction, operation: String) -> [Float] {
  var coefficients = weights?.scalars ?? [Float](repeating: 1, count: count)
  precondition(coefficients.count == count,
               "\(operation): \(coefficients.count) weights for \(count) samples")
  if reduction == .mean {
    let total = coefficients.reduce(Double(0)) { $0 + Double($1) }
    precondition(total > 0, "\(operation): the weights sum to \(total); a mean needs a positive total")
    let inverse = Float(1 / total)
    for index in coefficients.indices { coefficients[index] *= inverse }
  }
  return coefficients
}

/// Binary cross-entropy on logits z with labels y ∈ [0, 1], one primitive:
/// lᵢ = max(zᵢ, 0) − zᵢ·yᵢ + log(1 + e^(−|zᵢ|)), which equals −y·log σ(z) − (1−y)·log(1−σ(z)) and
/// stays finite for any |z|. The gradient is (σ(z) − y) scaled by each sample's coefficient.
/// - Parameters:
///   - logits: any shape with one scalar per sample (e.g. [N, 1] or [N]).
///   - labels: N labels in row-major order.
///   - weights: optional N per-sample weights wᵢ.
///   - reduction: `.mean` gives Σ wᵢlᵢ / Σ wᵢ, `.sum` gives Σ wᵢlᵢ.
public func binaryCrossEntropyWithLogits(
  logits: Variable, labels: Tensor, weights: Tensor? = nil, reduction: LossReduction = .mean
) -> Variable {
  let count = logits.value.scalarCount
  precondition(labels.scalarCount == count,
               "binaryCrossEntropy: logits \(logits.shape) and labels \(labels.shape) differ in size")
  let coefficients = lossCoefficients(count: count, weights: weights, reduction: reduction,
                                      operation: "binaryCrossEntropy")
  var total = 0.0
  var residual = Tensor.zeros(shape: logits.shape)
  logits.value.withUnsafeBufferPointer { z in
    labels.withUnsafeBufferPointer { y in
      residual.withUnsafeMutableBufferPointer { r in
        for index in 0..<count {
          let logit = z[index], label = y[index]
          let loss = Swift.max(logit, 0) - logit * label + log1pf(expf(-Swift.abs(logit)))
          total += Double(coefficients[index]) * Double(loss)
          let probability = logit >= 0 ? 1 / (1 + expf(-logit)) : expf(logit) / (1 + expf(logit))
          r[index] = probability - label
        }
      }
    }
  }
  let coefficientTensor = Tensor(shape: logits.shape, scalars: coefficients)
  return Tape.record(.binaryCrossEntropyWithLogits(residual: residual, coefficients: coefficientTensor),
                     inputs: [logits], output: Tensor(Float(total)))
}

/// Softmax cross-entropy on logits [N, C] with integer class labels, one primitive:
/// lᵢ = −log softmax(zᵢ)[yᵢ] = logsumexp(zᵢ) − zᵢ[yᵢ]. The gradient is softmax(zᵢ) − onehot(yᵢ),
/// scaled by each sample's coefficient (see `LossReduction`).
public func softmaxCrossEntropyWithLogits(
  logits: Variable, labels: [Int], weights: Tensor? = nil, reduction: LossReduction = .mean
) -> Variable {
  precondition(logits.value.rank == 2 && logits.shape[0] == labels.count,
               "softmaxCrossEntropy: logits \(logits.shape) do not match \(labels.count) labels")
  let classes = logits.shape[1]
  let coefficients = lossCoefficients(count: labels.count, weights: weights, reduction: reduction,
                                      operation: "softmaxCrossEntropy")
  let logProbabilities = logits.value.logSoftmax()
  var total = 0.0
  logProbabilities.withUnsafeBufferPointer { logP in
    for (row, label) in labels.enumerated() {
      precondition(label >= 0 && label < classes,
                   "softmaxCrossEntropy: label \(label) is outside 0..<\(classes)")
      total -= Double(coefficients[row]) * Double(logP[row * classes + label])
    }
  }
  return Tape.record(
    .softmaxCrossEntropyWithLogits(probabilities: logProbabilities.exp(), labels: labels,
                                   coefficients: Tensor(coefficients)),
    inputs: [logits], output: Tensor(Float(total)))
}
