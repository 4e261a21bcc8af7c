import KilnTensor
import Foundation

/// The backward rule of every primitive, in one place.
///
/// `backward(g, needed:)` receives the gradient `g` of the loss with respect to the primitive's output
/// and returns the gradient with respect to each input (vector–Jacobian products), skipping inputs
/// that are constants (`needed[i] == false`). Gradients of broadcast operands are summed back to the
/// operand's shape.
extension Primitive {
  func backward(_ g: consuming Tensor, needed: [Bool]) -> [Tensor?] {
    switch self {
    case .leaf:
      return []
    case let .add(lhsShape, rhsShape):
      return [needed[0] ? g.summed(toShape: lhsShape) : nil,
              needed[1] ? g.summed(toShape: rhsShape) : nil]
    case let .subtract(lhsShape, rhsShape):
      return [needed[0] ? g.summed(toShape: lhsShape) : nil,
              needed[1] ? (-g).summed(toShape: rhsShape) : nil]
    case let .multiply(lhs, rhs):
      return [needed[0] ? (g * rhs).summed(toShape: lhs.shape) : nil,
              needed[1] ? (g * lhs).summed(toShape: rhs.shape) : nil]
    case let .divide(lhs, rhs):
      // ∂(a/b)/∂a = 1/b;  ∂(a/b)/∂b = −a/b².
      return [needed[0] ? (g / rhs).summed(toShape: lhs.shape) : nil,
              needed[1] ? (-(g * lhs) / (rhs * rhs)).summed(toShape: rhs.shape) : nil]
    case let .scale(factor):
      return [g * factor]
    case .negate:
      return [-g]
    case let .exp(output):
      return [g * output]
    case let .log(input):
      return [g / input]
    case let .squareRoot(output):
      return [g.combined(with: output, operation: "squareRoot backward") { $0 / (2 * $1) }]
    case let .power(input, exponent):
      return [g * (input.pow(exponent - 1) * exponent)]
    case let .abs(input):
      return [g.combined(with: input, operation: "abs backward") { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) }]
    case let .clamp(input, lower, upper):
      return [g.combined(with: input, operation: "clamp backward") { $1 >= lower && $1 <= upper ? $0 : 0 }]
    case let .relu(output):
      return [g.combined(with: output, operation: "relu backward") { $1 > 0 ? $0 : 0 }]
    case let .leakyRelu(input, slope):
      return [g.combined(with: input, operation: "leakyRelu backward") { $1 > 0 ? $0 : slope * $0 }]
    case let .gelu(input):
      // d/dx x·Φ(x) = Φ(x) + x·φ(x).
      return [g.combined(with: input, operation: "gelu backward") { gradient, x in
        let cdf = 0.5 * (1 + erff(x * 0.70710678118654752))
        let density = 0.39894228040143268 * expf(-0.5 * x * x)
        return gradient * (cdf + x * density)
      }]
    case let .sigmoid(output):
      return [g.combined(with: output, operation: "sigmoid backward") { $0 * $1 * (1 - $1) }]
    case let .tanh(output):
      return [g.combined(with: output, operation: "tanh backward") { $0 * (1 - $1 * $1) }]
    case let .maximum(lhs, rhs):
      // Ties send the gradient to the left operand.
      let mask = lhs.combined(with: rhs, operation: "maximum backward") { $0 >= $1 ? 1 : 0 }
      return [needed[0] ? (g * mask).summed(toShape: lhs.shape) : nil,
              needed[1] ? (g * (1 - mask)).summed(toShape: rhs.shape) : nil]
    case let .minimum(lhs, rhs):
      let mask = lhs.combined(with: rhs, operation: "minimum backward") { $0 <= $1 ? 1 : 0 }
      return [needed[0] ? (g * mask).summed(toShape: lhs.shape) : nil,
              needed[1] ? (g * (1 - mask)).summed(toShape: rhs.shape) : nil]
    case let .select(condition, lhsShape, rhsShape):
      let mask = condition.mapped { $0 != 0 ? 1 : 0 }
      return [nil,
              needed[1] ? (g * mask).summed(toShape: lhsShape) : nil,
              needed[2] ? (g * (1 - mask)).summed(toShape: rhsShape) : nil]
    case let .sum(inputShape, keptShape):
      return [g.reshaped(to: keptShape).broadcast(to: inputShape)]
    case let .max(input, keptOutput):
      // The gradient goes to every position that attains the maximum.
      let mask = input.combined(with: keptOutput, operation: "max backward") { $0 == $1 ? 1 : 0 }
      return [mask * g.reshaped(to: keptOutput.shape)]
    case let .logSumExp(input, keptOutput):
      // ∂/∂xᵢ log Σ eˣ = softmax(x)ᵢ = e^(xᵢ − y).
      let weights = input.combined(with: keptOutput, operation: "logSumExp backward") { expf($0 - $1) }
      return [weights * g.reshaped(to: keptOutput.shape)]
    case let .softmax(output, axis):
      // ∂L/∂x = y ⊙ (g − Σ g⊙y).
      let dot = (g * output).sum(alongAxes: [axis], keepingDimensions: true)
      return [output * (g - dot)]
    case let .logSoftmax(output, axis):
      // ∂L/∂x = g − softmax(x) ⊙ Σ g.
      let total = g.sum(alongAxes: [axis], keepingDimensions: true)
      return [g - output.exp() * total]
    case let .matmul(lhs, rhs):
      return Primitive.matmulBackward(g, lhs: lhs, rhs: rhs, needed: needed)
    case let .linear(input, weight, hasBias):
      return Primitive.linearBackward(g, input: input, weight: weight, hasBias: hasBias, needed: needed)
    case let .linearReLU(input, weight, hasBias, output):
      // The ReLU rule, then the linear rule on the masked gradient.
      return Primitive.linearBackward(consume g, input: input, weight: weight, hasBias: hasBias, needed: needed,
                                      reluOutput: output)
    case let .linearReLUHead(input, weight, hasBias, hidden, headWeight, hasHeadBias):
      return Primitive.linearReLUHeadBackward(g, input: input, weight: weight, hasBias: hasBias, hidden: hidden.take(),
                                              headWeight: headWeight, hasHeadBias: hasHeadBias, needed: needed)
    case let .reshape(inputShape):
      return [g.reshaped(to: inputShape)]
    case let .permute(axes):
      var inverse = axes
      for (position, axis) in axes.enumerated() { inverse[axis] = position }
      return [g.permuted(inverse).contiguous()]
    case let .broadcast(inputShape):
      return [g.summed(toShape: inputShape)]
    case let .concatenate(extents, axis):
      var start = 0
      return extents.enumerated().map { slot, extent in
        defer { start += extent }
        return needed[slot] ? g.slice(alongAxis: axis, start..<(start + extent)) : nil
      }
    case let .gatherRows(indices, rowCount):
      return [Primitive.scatterRows(g, indices: indices, rowCount: rowCount)]
    case let .sliceRows(range, rowCount):
      return [Primitive.scatterRows(g, indices: Array(range), rowCount: rowCount)]
    case let .binaryCrossEntropyWithLogits(residual, coefficients):
      // ∂lᵢ/∂zᵢ = σ(zᵢ) − yᵢ.
      let scale = g.scalar
      return [residual.combined(with: coefficients, operation: "binaryCrossEntropy backward") { $0 * $1 * scale }]
    case let .softmaxCrossEntropyWithLogits(probabilities, labels, coefficients):
      // ∂lᵢ/∂zᵢⱼ = pᵢⱼ − [j = yᵢ].
      return [Primitive.softmaxCrossEntropyBackward(
        g.scalar, probabilities: probabilities, labels: labels, coefficients: coefficients)]
    }
  }
}

extension Primitive {
  /// C = A·B: ∂A = g·Bᵀ, ∂B = Aᵀ·g (transposes are BLAS flags on rank-2 operands). A rank-2 operand
  /// shared across a batch gets the sum over the batch.
  static func matmulBackward(_ g: Tensor, lhs: Tensor, rhs: Tensor, needed: [Bool]) -> [Tensor?] {
    if lhs.rank == 2 && rhs.rank == 2 {
      return [needed[0] ? g.matmul(rhs.transposed) : nil, needed[1] ? lhs.transposed.matmul(g) : nil]
    }
    let swapLast: (Tensor) -> Tensor = { tensor in
      var axes = Array(0..<tensor.rank)
      axes.swapAt(tensor.rank - 1, tensor.rank - 2)
      return tensor.permuted(axes).contiguous()
    }
    var lhsGradient: Tensor?
    var rhsGradient: Tensor?
    if needed[0] {
      lhsGradient = g.matmul(swapLast(rhs)).summed(toShape: lhs.shape)
    }
    if needed[1] {
      if rhs.rank == 2 {
        let k = lhs.shape[lhs.rank - 1], n = g.shape[g.rank - 1]
        rhsGradient = lhs.reshaped(to: [-1, k]).transposed.matmul(g.reshaped(to: [-1, n]))
      } else {
        rhsGradient = swapLast(lhs).matmul(g).summed(toShape: rhs.shape)
      }
    }
    return [lhsGradient, rhsGradient]
  }

  /// Y = X·Wᵀ + b with W [out, in]: ∂X = g·W, ∂W = gᵀ·X, ∂b = Σ_rows g. With `reluOutput`
  /// (Y = relu(…)), g is first masked by Y > 0; the mask and the bias sum share one pass, which
  /// writes over g when nothing else holds it.
  static func linearBackward(
    _ g: consuming Tensor, input: Tensor, weight: Tensor, hasBias: Bool, needed: [Bool], reluOutput: Tensor? = nil
  ) -> [Tensor?] {
    let inputSize = weight.shape[1], outputSize = weight.shape[0]
    let rows = g.scalarCount / Swift.max(outputSize, 1)
    let wantsBias = hasBias && needed[2]
    var flatGradient = consume g
    if flatGradient.rank != 2 { flatGradient = flatGradient.reshaped(to: [rows, outputSize]) }
    var biasGradient: Tensor?
    if let reluOutput {
      biasGradient = mask(&flatGradient, by: reluOutput, summing: wantsBias)
    } else if wantsBias {
      biasGradient = columnSums(flatGradient)
    }
    var result = linearProducts(flatGradient, input: input, weight: weight, needed: needed)
    if hasBias { result.append(biasGradient) }
    return result
  }

  /// A linear layer's ∂X = g·W and ∂W = gᵀ·X from the gradient g [rows, out] of its output (before
  /// any bias), as needed.
  static func linearProducts(_ flatGradient: Tensor, input: Tensor, weight: Tensor, needed: [Bool]) -> [Tensor?] {
    let rows = flatGradient.shape[0], inputSize = weight.shape[1]
    let flatInput = input.rank == 2 ? input : input.reshaped(to: [rows, inputSize])
    var result: [Tensor?] = [nil, nil]
    // ∂W first: ∂X is then the newest data in the cache when the layer below masks it in place.
    if needed[1] { result[1] = flatGradient.transposed.matmul(flatInput) }
    if needed[0] { result[0] = flatGradient.matmul(weight).reshaped(to: input.shape) }
    return result
  }

  /// The rule of `linearReLUHead`. With g the gradient of the head's output [rows, 1], u the head's
  /// weight and h the ReLU's output: ∂pre = (g·u) masked by h > 0, ∂b = Σ_rows ∂pre, ∂u = gᵀ·h and
  /// ∂headBias = Σ g, in one pass over h split by columns (each column's sums add its rows in order
  /// at any part count), which writes ∂pre over h when nothing else holds it; then the layer's two
  /// products on ∂pre. Inputs: [x, W, b?, u, headBias?].
  static func linearReLUHeadBackward(
    _ g: Tensor, input: Tensor, weight: Tensor, hasBias: Bool, hidden: consuming Tensor, headWeight: Tensor,
    hasHeadBias: Bool, needed: [Bool]
  ) -> [Tensor?] {
    let rows = hidden.shape[0], columns = hidden.shape[1]
    let gradient = g.contiguous(), weights = headWeight.contiguous()
    var biasSums = Tensor.zeros(shape: [columns]), weightSums = Tensor.zeros(shape: [1, columns])
    let pass = { (activation: UnsafePointer<Float>, result: UnsafeMutablePointer<Float>) in
      gradient.withUnsafeBufferPointer { scale in
        weights.withUnsafeBufferPointer { head in
          biasSums.withUnsafeMutableBufferPointer { biasTotal in
            weightSums.withUnsafeMutableBufferPointer { weightTotal in
              guard let scale = scale.baseAddress, let head = head.baseAddress, let biasSum = biasTotal.baseAddress,
                    let weightSum = weightTotal.baseAddress else { return }
              ElementwiseParallelism.forEachPart(ElementwiseParallelism.parts(forElements: rows * columns)) { part, parts in
                ElementwiseKernels.headBackward(
                  rows: rows, columns: columns, columnRange: (columns * part / parts)..<(columns * (part + 1) / parts),
                  hidden: activation, gradient: scale, weight: head, result: result, biasSums: biasSum,
                  weightSums: weightSum)
              }
            }
          }
        }
      }
    }
    var preActivation = hidden
    rewrite(&preActivation, pass)
    var result = linearProducts(preActivation, input: input, weight: weight, needed: needed)
    var slot = 2
    if hasBias {
      result.append(needed[slot] ? biasSums : nil)
      slot += 1
    }
    result.append(needed[slot] ? weightSums : nil)
    if hasHeadBias { result.append(needed[slot + 1] ? columnSums(gradient.reshaped(to: [rows, 1])) : nil) }
    return result
  }

  /// Sets g[r, c] to 0 where output[r, c] ≤ 0 and returns, if `summing`, the column sums of the
  /// result. The pass writes over g's storage when g holds the only reference to it (the usual
  /// case: the tape hands each gradient on), else into a new tensor that replaces g.
  static func mask(_ g: inout Tensor, by output: Tensor, summing: Bool) -> Tensor? {
    let columns = g.shape[1], rows = g.shape[0]
    var sums = Tensor.zeros(shape: summing ? [columns] : [0])
    let pass = { (gradient: UnsafePointer<Float>, result: UnsafeMutablePointer<Float>) in
      output.withUnsafeBufferPointer { y in
        sums.withUnsafeMutableBufferPointer { total in
          guard let activation = y.baseAddress else { return }
          let accumulator = summing ? total.baseAddress : nil
          // Large tensors are split by columns, so every column's sum adds its rows in the same
          // order at any part count.
          ElementwiseParallelism.forEachPart(ElementwiseParallelism.parts(forElements: rows * columns)) { part, parts in
            ElementwiseKernels.maskedRows(rows: rows, columns: columns, columnRange: (columns * part / parts)..<(columns * (part + 1) / parts),
                                          gradient: gradient, activation: activation, result: result, sums: accumulator)
          }
        }
      }
    }
    rewrite(&g, pass)
    return summing ? sums : nil
  }

  /// Runs `pass(source, result)` over `tensor`'s values: in place (source and result the same
  /// storage) when `tensor` holds the only reference to contiguous storage, else from its values
  /// into a new tensor of its shape that replaces it.
  static func rewrite(_ tensor: inout Tensor, _ pass: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
    if tensor.isContiguous && tensor.isUniquelyReferenced() {
      tensor.withUnsafeMutableBufferPointer { values in
        if let pointer = values.baseAddress { pass(pointer, pointer) }
      }
    } else {
      let shape = tensor.shape
      tensor = tensor.withUnsafeBufferPointer { values in
        Tensor.make(shape: shape) { out in
          if let source = values.baseAddress, let result = out.baseAddress { pass(source, result) }
        }
      }
    }
  }

  /// Σ over rows of a rank-2 tensor, one vectorisable pass.
  static func columnSums(_ g: Tensor) -> Tensor {
    let columns = g.shape[1], rows = g.shape[0]
    var sums = Tensor.zeros(shape: [columns])
    g.withUnsafeBufferPointer { gradient in
      sums.withUnsafeMutableBufferPointer { total in
        let source = gradient.baseAddress!, accumulator = total.baseAddress!
        for row in 0..<rows {
          let sourceRow = source + row * columns
          for column in 0..<columns { accumulator[column] += sourceRow[column] }
        }
      }
    }
    return sums
  }

  /// Adds the rows of `g` into a zero tensor of `rowCount` rows at `indices` (repeats accumulate).
  static func scatterRows(_ g: Tensor, indices: [Int], rowCount: Int) -> Tensor {
    var shape = g.shape
    shape[0] = rowCount
    let rowSize = g.shape.dropFirst().reduce(1, *)
    var result = Tensor.zeros(shape: shape)
    g.withUnsafeBufferPointer { source in
      result.withUnsafeMutableBufferPointer { out in
        for (row, index) in indices.enumerated() {
          for k in 0..<rowSize { out[index * rowSize + k] += source[row * rowSize + k] }
        }
      }
    }
    return result
  }

  static func softmaxCrossEntropyBackward(
    _ scale: Float, probabilities: Tensor, labels: [Int], coefficients: Tensor
  ) -> Tensor {
    var result = probabilities
    let classes = probabilities.shape[1]
    coefficients.withUnsafeBufferPointer { weight in
      result.withUnsafeMutableBufferPointer { out in
        for (row, label) in labels.enumerated() {
          out[row * classes + label] -= 1
          let factor = weight[row] * scale
          for k in 0..<classes { out[row * classes + k] *= factor }
        }
      }
    }
    return result
  }
}
