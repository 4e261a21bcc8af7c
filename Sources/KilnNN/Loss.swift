import KilnTensor
import KilnAutograd
// Losses. Each takes optional per-sample weights wᵢ and a reduction: `.mean` is Σwᵢlᵢ / Σwᵢ (the
// plain mean without weights), `.sum` is Σwᵢlᵢ. For multi-output predictions [N, K], lᵢ averages
// over the K outputs.

/// Per-sample losses [N, …] reduced with weights (a composite of primitives).
func reduce(_ losses: Variable, weights: Tensor?, reduction: LossReduction, operation: String) -> Variable {
  let samples = losses.shape.first ?? 1
  let perSample = Swift.max(losses.value.scalarCount / Swift.max(samples, 1), 1)
  guard let weights else {
    let total = losses.sum()
    return reduction == .mean ? total * (1 / Float(Swift.max(losses.value.scalarCount, 1))) : total * (1 / Float(perSample))
  }
  precondition(weights.scalarCount == samples,
               "\(operation): \(weights.scalarCount) weights for \(samples) samples")
  var weightShape = [Int](repeating: 1, count: losses.shape.count)
  if !weightShape.isEmpty { weightShape[0] = samples }
  let weighted = (losses * weights.reshaped(to: weightShape)).sum() * (1 / Float(perSample))
  guard reduction == .mean else { return weighted }
  let total = weights.sum().scalar
  precondition(total > 0, "\(operation): the weights sum to \(total); a mean needs a positive total")
  return weighted * (1 / total)
}

/// Mean squared error: lᵢ = (ŷᵢ − yᵢ)².
public func meanSquaredError(
  predictions: Variable, targets: Tensor, weights: Tensor? = nil, reduction: LossReduction = .mean
) -> Variable {
  precondition(predictions.value.scalarCount == targets.scalarCount,
               "meanSquaredError: predictions \(predictions.shape) and targets \(targets.shape) differ in size")
  let difference = predictions - targets.reshaped(to: predictions.shape)
  return reduce(difference * difference, weights: weights, reduction: reduction, operation: "meanSquaredError")
}

/// Mean absolute (L1) error: lᵢ = |ŷᵢ − yᵢ|.
public func meanAbsoluteError(
  predictions: Variable, targets: Tensor, weights: Tensor? = nil, reduction: LossReduction = .mean
) -> Variable {
  precondition(predictions.value.scalarCount == targets.scalarCount,
               "meanAbsoluteError: predictions \(predictions.shape) and targets \(targets.shape) differ in size")
  let difference = predictions - targets.reshaped(to: predictions.shape)
  return reduce(difference.abs(), weights: weights, reduction: reduction, operation: "meanAbsoluteError")
}

/// Binary cross-entropy on logits, stable for any |logit| (see `binaryCrossEntropyWithLogits`).
public func binaryCrossEntropy(
  logits: Variable, labels: Tensor, weights: Tensor? = nil, reduction: LossReduction = .mean
) -> Variable {
  binaryCrossEntropyWithLogits(logits: logits, labels: labels, weights: weights, reduction: reduction)
}

/// Softmax cross-entropy on logits [N, C] with class labels given as a tensor of N class indices.
public func softmaxCrossEntropy(
  logits: Variable, labels: Tensor, weights: Tensor? = nil, reduction: LossReduction = .mean
) -> Variable {
  let classes = labels.scalars.map { Int($0) }
  return softmaxCrossEntropyWithLogits(logits: logits, labels: classes, weights: weights, reduction: reduction)
}
