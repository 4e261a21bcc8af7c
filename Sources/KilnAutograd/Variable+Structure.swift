import KilnTensor
// Reductions, normalisations, products and shape operations on variables.

extension Variable {
  /// Σ over `axes` (all when `nil`).
  public func sum(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
    let kept = value.sum(alongAxes: axes, keepingDimensions: true)
    let output = keepingDimensions ? kept : value.droppingReducedAxes(axes, from: kept)
    return Tape.record(.sum(inputShape: shape, keptShape: kept.shape), inputs: [self], output: output)
  }
  /// The mean over `axes` (a composite: sum × 1/count).
  public func mean(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
    let count = value.reducedCount(alongAxes: axes)
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(count, 1)))
  }
  /// The population variance over `axes` (a composite).
  public func variance(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
    let centered = self - mean(alongAxes: axes, keepingDimensions: true)
    return (centered * centered).mean(alongAxes: axes, keepingDimensions: keepingDimensions)
  }
  /// The maximum over `axes`.
  public func max(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
    let kept = value.max(alongAxes: axes, keepingDimensions: true)
    let output = keepingDimensions ? kept : value.droppingReducedAxes(axes, from: kept)
    return Tape.record(.max(input: value, keptOutput: kept), inputs: [self], output: output)
  }
  /// The minimum over `axes` (a composite: −max(−x)).
  public func min(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
    -(-self).max(alongAxes: axes, keepingDimensions: keepingDimensions)
  }
  /// log Σ eˣ over `axes` (stable).
  public func logSumExp(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
    let kept = value.logSumExp(alongAxes: axes, keepingDimensions: true)
    let output = keepingDimensions ? kept : value.droppingReducedAxes(axes, from: kept)
    return Tape.record(.logSumExp(input: value, keptOutput: kept), inputs: [self], output: output)
  }
  /// Softmax along `axis` (stable).
  public func softmax(alongAxis axis: Int = -1) -> Variable {
    let output = value.softmax(alongAxis: axis)
    return Tape.record(.softmax(output: output, axis: value.normalizedAxis(axis)), inputs: [self], output: output)
  }
  /// Log-softmax along `axis` (stable).
  public func logSoftmax(alongAxis axis: Int = -1) -> Variable {
    let output = value.logSoftmax(alongAxis: axis)
    return Tape.record(.logSoftmax(output: output, axis: value.normalizedAxis(axis)), inputs: [self], output: output)
  }
  /// The matrix product (rank 2, or batched).
  public func matmul(_ other: Variable) -> Variable {
    Tape.record(.matmul(lhs: value, rhs: other.value), inputs: [self, other], output: value.matmul(other.value))
  }
  /// The same values in a new shape (one extent may be -1).
  public func reshaped(to newShape: [Int]) -> Variable {
    Tape.record(.reshape(inputShape: shape), inputs: [self], output: value.reshaped(to: newShape))
  }
  /// Dimensions reordered (`axes[i]` becomes dimension i).
  public func permuted(_ axes: [Int]) -> Variable {
    Tape.record(.permute(axes: axes), inputs: [self], output: value.permuted(axes).contiguous())
  }
  /// The matrix transpose of a rank-2 variable.
  public var transposed: Variable { permuted([1, 0]) }
  /// Repeated along broadcast dimensions to `targetShape`.
  public func broadcast(to targetShape: [Int]) -> Variable {
    Tape.record(.broadcast(inputShape: shape), inputs: [self], output: value.broadcast(to: targetShape))
  }
  /// Inserts a dimension of extent 1 (a composite over reshape).
  public func unsqueezed(at axis: Int) -> Variable { reshaped(to: value.unsqueezed(at: axis).shape) }
  /// Removes dimensions of extent 1 (a composite over reshape).
  public func squeezed(at axes: [Int]? = nil) -> Variable { reshaped(to: value.squeezed(at: axes).shape) }
  /// The rows at `indices` (index-select along the first dimension).
  public func gatheringRows(_ indices: [Int]) -> Variable {
    Tape.record(.gatherRows(indices: indices, rowCount: shape[0]), inputs: [self],
                output: value.gatheringRows(indices))
  }
  /// The rows in `range`.
  public func rows(_ range: Range<Int>) -> Variable {
    Tape.record(.sliceRows(range: range, rowCount: shape[0]), inputs: [self], output: value.rows(range))
  }
  /// Joins variables along `axis`.
  public static func concatenate(_ variables: [Variable], alongAxis axis: Int = 0) -> Variable {
    let output = Tensor.concatenate(variables.map(\.value), alongAxis: axis)
    return Tape.record(.concatenate(extents: variables.map { $0.shape[axis] }, axis: axis),
                       inputs: variables, output: output)
  }
  /// Stacks equally shaped variables along a new axis (a composite).
  public static func stack(_ variables: [Variable], alongAxis axis: Int = 0) -> Variable {
    concatenate(variables.map { $0.unsqueezed(at: axis) }, alongAxis: axis)
  }
}

extension Tensor {
  /// `kept` (a reduction over `axes` with kept dimensions) reshaped without the reduced axes.
  func droppingReducedAxes(_ axes: [Int]?, from kept: Tensor) -> Tensor {
    let reduced = Set((axes ?? Array(0..<rank)).map { normalizedAxis($0) })
    return kept.reshaped(to: shape.indices.filter { !reduced.contains($0) }.map { shape[$0] })
  }
}

/// The matrix product of two variables.
public func matmul(_ lhs: Variable, _ rhs: Variable) -> Variable { lhs.matmul(rhs) }

/// The affine map `input · weightᵀ + bias` (weight [out, in]) as one primitive: the forward pass is
/// one `cblas_sgemm` accumulating onto the bias, and the backward rule uses BLAS transpose flags.
public func linear(_ input: Variable, weight: Variable, bias: Variable?) -> Variable {
  let output = Tensor.linear(input.value, weight: weight.value, bias: bias?.value)
  var inputs = [input, weight]
  if let bias { inputs.append(bias) }
  return Tape.record(.linear(input: input.value, weight: weight.value, hasBias: bias != nil),
                     inputs: inputs, output: output)
}

/// relu(input · weightᵀ + bias) as one primitive (the ReLU runs in place on the product, and the
/// backward rule masks the gradient once before the two products).
public func linearReLU(_ input: Variable, weight: Variable, bias: Variable?) -> Variable {
  let output = Tensor.linear(input.value, weight: weight.value, bias: bias?.value, applyingReLU: true)
  var inputs = [input, weight]
  if let bias { inputs.append(bias) }
  return Tape.record(.linearReLU(input: input.value, weight: weight.value, hasBias: bias != nil, output: output),
                     inputs: inputs, output: output)
}

/// relu(input · weightᵀ + bias) · headWeightᵀ + headBias, a ReLU layer with a one-output head
/// (`headWeight` [1, out], `headBias` [1]) as one primitive: the head's dot products share the
/// ReLU's pass, and backward, the head's outer product, its weight gradient and the mask share one
/// pass. The values are those of `linear(linearReLU(…), …)` up to the order of the head's sums.
public func linearReLUHead(
  _ input: Variable, weight: Variable, bias: Variable?, headWeight: Variable, headBias: Variable?
) -> Variable {
  let (output, hidden) = Tensor.linearReLUHead(input.value, weight: weight.value, bias: bias?.value,
                                               headWeight: headWeight.value, headBias: headBias?.value)
  var inputs = [input, weight]
  if let bias { inputs.append(bias) }
  inputs.append(headWeight)
  if let headBias { inputs.append(headBias) }
  return Tape.record(.linearReLUHead(input: input.value, weight: weight.value, hasBias: bias != nil, hidden: SavedTensor(hidden),
                                     headWeight: headWeight.value, hasHeadBias: headBias != nil),
                     inputs: inputs, output: output)
}
