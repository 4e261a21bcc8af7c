import COpenBLAS

extension Tensor {
  /// A rank-2 tensor as BLAS sees it: a contiguous buffer, whether BLAS should read it transposed,
  /// and its leading dimension. A `transposed` view of a contiguous matrix becomes the `CblasTrans`
  /// flag on the original buffer, so no transpose is ever copied.
  struct MatrixOperand {
    let tensor: Tensor
    let transpose: CBLAS_TRANSPOSE
    let leadingDimension: Int32
  }

  var matrixOperand: MatrixOperand {
    precondition(rank == 2, "matmul: expected a rank-2 operand, got shape \(shape)")
    if isContiguous {
      return MatrixOperand(tensor: self, transpose: CblasNoTrans, leadingDimension: Int32(Swift.max(shape[1], 1)))
    }
    if let viewStrides, viewStrides == [1, shape[0]] {
      return MatrixOperand(tensor: self, transpose: CblasTrans, leadingDimension: Int32(Swift.max(shape[0], 1)))
    }
    let copy = contiguous()
    return MatrixOperand(tensor: copy, transpose: CblasNoTrans, leadingDimension: Int32(Swift.max(shape[1], 1)))
  }

  /// The fewest output elements (4 MiB of floats, several times a core's cache) that `gemm` zeroes
  /// with streaming stores.
  static let streamingZeroElements = 1 << 20

  /// C ← α·A·B + β·C for rank-2 `a` [m, k] and `b` [k, n] through `cblas_sgemm`; `c` points at an
  /// [m, n] row-major buffer.
  ///
  /// With β = 0 and an output of `ElementwiseParallelism.minimumElements` or more, C is zeroed here
  /// (split over the BLAS threads) and sgemm is called with β = 1: OpenBLAS's own zeroing pass is
  /// slower, about 0.2 ms more for a fresh 1024 × 1024 output on two threads. From
  /// `streamingZeroElements` on, the zeros are written with streaming stores, which do not read
  /// the (usually uncached) lines first: another 0.4 ms or so per training step of the 1024-wide
  /// MLP (BENCHMARKS.md). sgemm then adds the same products to the same zeros, so the result is
  /// the same bit for bit.
  static func gemm(
    _ a: Tensor, _ b: Tensor, into c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0
  ) {
    let m = a.shape[0], k = a.shape[1], n = b.shape[1]
    precondition(b.shape[0] == k, "matmul: shape \(a.shape) cannot multiply \(b.shape)")
    guard m > 0 && n > 0 else { return }
    if k == 1 && beta == 0 {
      outerProduct(a, b, into: c, alpha: alpha)
      return
    }
    if k == 0 {
      if beta == 0 { c.update(repeating: 0, count: m * n) } else if beta != 1 {
        for index in 0..<(m * n) { c[index] *= beta }
      }
      return
    }
    let left = a.matrixOperand, right = b.matrixOperand
    if n == 1 || m == 1 {
      BLASThreads.prepare(multiplyAdds: m * n * k)
      // Matrix–vector shapes go to sgemv, which skips sgemm's packing of tiny operands.
      withExtendedLifetime((left.tensor, right.tensor)) {
        if n == 1 {
          // c[m] = op(A)·b, where b's k scalars are contiguous whichever way B is stored.
          let rows = left.transpose == CblasNoTrans ? m : k, columns = left.transpose == CblasNoTrans ? k : m
          cblas_sgemv(CblasRowMajor, left.transpose, Int32(rows), Int32(columns), alpha,
                      left.tensor.storage.pointer, left.leadingDimension,
                      right.tensor.storage.pointer, 1, beta, c, 1)
        } else {
          // c[n] = op(B)ᵀ·a, where a's k scalars are contiguous whichever way A is stored.
          let flipped = right.transpose == CblasNoTrans ? CblasTrans : CblasNoTrans
          let rows = right.transpose == CblasNoTrans ? k : n, columns = right.transpose == CblasNoTrans ? n : k
          cblas_sgemv(CblasRowMajor, flipped, Int32(rows), Int32(columns), alpha,
                      right.tensor.storage.pointer, right.leadingDimension,
                      left.tensor.storage.pointer, 1, beta, c, 1)
        }
      }
      return
    }
    var beta = beta
    if beta == 0 && m * n >= ElementwiseParallelism.minimumElements {
      let streaming = m * n >= streamingZeroElements
      ElementwiseParallelism.forEachPart(of: m * n) { range in
        if streaming {
          ElementwiseKernels.zeroStreaming(c + range.lowerBound, count: range.count)
        } else {
          (c + range.lowerBound).update(repeating: 0, count: range.count)
        }
      }
      beta = 1
    }
    // After the zeroing pass, which would wake the helpers that this sends to sleep.
    BLASThreads.prepare(multiplyAdds: m * n * k)
    withExtendedLifetime((left.tensor, right.tensor)) {
      cblas_sgemm(CblasRowMajor, left.transpose, right.transpose, Int32(m), Int32(n), Int32(k),
                  alpha, left.tensor.storage.pointer, left.leadingDimension,
                  right.tensor.storage.pointer, right.leadingDimension, beta, c, Int32(n))
    }
  }

  /// C = α·a·bᵀ for a [m, 1] and b [1, n]: a plain loop, since sgemm's packing dominates at k = 1.
  /// Every element is one product, so the result does not depend on the part count.
  private static func outerProduct(_ a: Tensor, _ b: Tensor, into c: UnsafeMutablePointer<Float>, alpha: Float) {
    // Either layout of a [m, 1] or [1, n] operand stores its scalars contiguously.
    let m = a.shape[0], n = b.shape[1]
    let left = a.viewStrides == nil ? a : a.contiguous(), right = b.viewStrides == nil ? b : b.contiguous()
    withExtendedLifetime((left, right)) {
      let x = left.storage.pointer, y = right.storage.pointer
      // Large products (a linear layer's input gradient from a single output) split by rows.
      ElementwiseParallelism.forEachPart(ElementwiseParallelism.parts(forElements: m * n)) { part, parts in
        for i in (m * part / parts)..<(m * (part + 1) / parts) {
          let scale = alpha * x[i]
          let row = c + i * n
          for j in 0..<n { row[j] = scale * y[j] }
        }
      }
    }
  }

  /// The matrix product. Rank 2 × rank 2 is one `cblas_sgemm`; with rank ≥ 3 the leading
  /// (batch) dimensions must agree, or one operand is rank 2 and is shared by every batch entry.
  public func matmul(_ other: Tensor) -> Tensor {
    precondition(rank >= 2 && other.rank >= 2,
                 "matmul: shapes \(shape) and \(other.shape) must both have rank ≥ 2")
    if rank == 2 && other.rank == 2 {
      precondition(shape[1] == other.shape[0], "matmul: shape \(shape) cannot multiply \(other.shape)")
      return Tensor.make(shape: [shape[0], other.shape[1]]) { out in
        Tensor.gemm(self, other, into: out.baseAddress!)
      }
    }
    return batchedMatmul(other)
  }

  private func batchedMatmul(_ other: Tensor) -> Tensor {
    let m = shape[rank - 2], k = shape[rank - 1]
    let n = other.shape[other.rank - 1]
    precondition(other.shape[other.rank - 2] == k, "matmul: shape \(shape) cannot multiply \(other.shape)")
    let leftBatch = Array(shape.dropLast(2)), rightBatch = Array(other.shape.dropLast(2))
    precondition(leftBatch.isEmpty || rightBatch.isEmpty || leftBatch == rightBatch,
                 "matmul: batch dimensions of \(shape) and \(other.shape) differ")
    let batch = leftBatch.isEmpty ? rightBatch : leftBatch
    let batchCount = batch.reduce(1, *)
    if rightBatch.isEmpty {
      // One large product: [batch·m, k] × [k, n].
      return reshaped(to: [batchCount * m, k]).matmul(other).reshaped(to: batch + [m, n])
    }
    let left = contiguous(), right = other.contiguous()
    return Tensor.make(shape: batch + [m, n]) { out in
      for index in 0..<batchCount {
        let a = leftBatch.isEmpty ? left : left.matrix(at: index, rows: m, columns: k)
        let b = right.matrix(at: index, rows: k, columns: n)
        Tensor.gemm(a, b, into: out.baseAddress! + index * m * n)
      }
    }
  }

  /// The `index`-th [rows, columns] matrix of a contiguous batch (a copy).
  private func matrix(at index: Int, rows: Int, columns: Int) -> Tensor {
    let size = rows * columns
    return Tensor.make(shape: [rows, columns]) { out in
      out.baseAddress!.update(from: storage.pointer + index * size, count: size)
    }
  }

  /// The affine map `input · weightᵀ + bias` with `weight` shaped [out, in] (PyTorch's layout) and
  /// `input` [..., in]. The bias is written into the output rows first and `cblas_sgemm` accumulates
  /// onto it (β = 1), so the add costs no extra pass; the transpose is the `CblasTrans` flag. With
  /// `applyingReLU`, max(·, 0) is applied in place on the fresh output. Both passes over a large
  /// output are split over the BLAS threads (`ElementwiseParallelism`).
  public static func linear(
    _ input: Tensor, weight: Tensor, bias: Tensor?, applyingReLU: Bool = false
  ) -> Tensor {
    precondition(weight.rank == 2 && input.rank >= 1 && input.shape.last == weight.shape[1],
                 "linear: input \(input.shape) does not match weight \(weight.shape)")
    let inputSize = weight.shape[1], outputSize = weight.shape[0]
    let rows = input.scalarCount / Swift.max(inputSize, 1)
    let flat = input.rank == 2 ? input : input.reshaped(to: [rows, inputSize])
    var outputShape = input.shape
    outputShape[outputShape.count - 1] = outputSize
    if let bias {
      precondition(bias.scalarCount == outputSize,
                   "linear: bias \(bias.shape) does not match weight \(weight.shape)")
    }
    return make(shape: outputShape) { out in
      let output = out.baseAddress!
      var beta: Float = 0
      if let bias {
        let biasValues = bias.contiguous()
        withExtendedLifetime(biasValues) {
          let source = biasValues.storage.pointer
          ElementwiseParallelism.forEachPart(ElementwiseParallelism.parts(forElements: rows * outputSize)) { part, parts in
            for row in (rows * part / parts)..<(rows * (part + 1) / parts) {
              (output + row * outputSize).update(from: source, count: outputSize)
            }
          }
        }
        beta = 1
      }
      gemm(flat, weight.transposed, into: output, beta: beta)
      if applyingReLU {
        ElementwiseParallelism.forEachPart(of: out.count) { range in
          ElementwiseKernels.reluInPlace(output + range.lowerBound, count: range.count)
        }
      }
    }
  }

  /// A ReLU layer with a one-output head: `relu(input · weightᵀ + bias) · headWeightᵀ + headBias`,
  /// with `headWeight` [1, out] and `headBias` [1]. Returns the head's output (input's shape with a
  /// last extent of 1) and the ReLU's output as [rows, out]. The ReLU and the head's dot products
  /// share one pass over each row while it is in the cache (`kiln_relu_rows_dot`), in place of a
  /// ReLU pass and a matrix–vector product that reads the layer's output again.
  public static func linearReLUHead(
    _ input: Tensor, weight: Tensor, bias: Tensor?, headWeight: Tensor, headBias: Tensor?
  ) -> (output: Tensor, hidden: Tensor) {
    let outputSize = weight.shape[0]
    precondition(headWeight.shape == [1, outputSize],
                 "linearReLUHead: head weight \(headWeight.shape) does not match [1, \(outputSize)]")
    if let headBias {
      precondition(headBias.scalarCount == 1, "linearReLUHead: head bias \(headBias.shape) must hold one value")
    }
    var hidden = linear(input, weight: weight, bias: bias)
    let rows = hidden.scalarCount / Swift.max(outputSize, 1)
    hidden = hidden.reshaped(to: [rows, outputSize])
    var outputShape = input.shape
    outputShape[outputShape.count - 1] = 1
    let weights = headWeight.contiguous(), offset = headBias?.scalars[0] ?? 0
    let output = hidden.withUnsafeMutableBufferPointer { values in
      make(shape: outputShape) { out in
        guard let pre = values.baseAddress, let result = out.baseAddress else { return }
        withExtendedLifetime(weights) {
          let weight = weights.storage.pointer
          ElementwiseParallelism.forEachPart(ElementwiseParallelism.parts(forElements: rows * outputSize)) { part, parts in
            ElementwiseKernels.reluRowsDot(rowRange: (rows * part / parts)..<(rows * (part + 1) / parts),
                                           columns: outputSize, values: pre, weight: weight, bias: offset, out: result)
          }
        }
      }
    }
    return (output, hidden)
  }
}
