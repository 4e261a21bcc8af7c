extension Tensor {
  /// The same scalars in a new shape; one extent may be `-1` (inferred).
  public func reshaped(to newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
      precondition(known > 0 && scalarCount % known == 0,
                   "reshaped(to:): cannot infer \(newShape) from shape \(shape)")
      resolved[inferred] = scalarCount / known
    }
    precondition(Tensor.scalarCount(of: resolved) == scalarCount,
                 "reshaped(to:): shape \(shape) cannot become \(newShape)")
    return Tensor(shape: resolved, storage: contiguous().storage)
  }

  /// This tensor with row-major strides (no copy when it already has them).
  public func contiguous() -> Tensor {
    if isContiguous { return self }
    let count = scalarCount
    let source = storage.pointer
    let rank = shape.count
    let extents = shape
    let sourceStrides = strides
    return Tensor.make(shape: shape) { out in
      guard count > 0 else { return }
      var index = [Int](repeating: 0, count: rank)
      let innerExtent = extents[rank - 1]
      let innerStride = sourceStrides[rank - 1]
      var written = 0
      while written < count {
        var offset = 0
        for axis in 0..<(rank - 1) { offset += index[axis] * sourceStrides[axis] }
        for inner in 0..<innerExtent { out[written + inner] = source[offset + inner * innerStride] }
        written += innerExtent
        var axis = rank - 2
        while axis >= 0 {
          index[axis] += 1
          if index[axis] < extents[axis] { break }
          index[axis] = 0
          axis -= 1
        }
      }
    }
  }

  /// The matrix transpose of a rank-2 tensor, as a strided view (no copy).
  public var transposed: Tensor {
    precondition(rank == 2, "transposed: needs a rank-2 tensor, got shape \(shape)")
    return permuted([1, 0])
  }

  /// A view with dimensions reordered: dimension `i` of the result is dimension `axes[i]` of this.
  public func permuted(_ axes: [Int]) -> Tensor {
    precondition(axes.sorted() == Array(0..<rank),
                 "permuted: \(axes) is not a permutation of the axes of shape \(shape)")
    return Tensor(shape: axes.map { shape[$0] }, strides: axes.map { strides[$0] }, storage: storage)
  }

  /// Inserts a dimension of extent 1 at `axis`.
  public func unsqueezed(at axis: Int) -> Tensor {
    precondition(axis >= 0 && axis <= rank, "unsqueezed: axis \(axis) is outside 0...\(rank)")
    var newShape = shape
    newShape.insert(1, at: axis)
    return reshaped(to: newShape)
  }

  /// Removes dimensions of extent 1 (all of them, or only `axes`).
  public func squeezed(at axes: [Int]? = nil) -> Tensor {
    let removed = Set(axes ?? shape.indices.filter { shape[$0] == 1 })
    for axis in removed {
      precondition(axis >= 0 && axis < rank && shape[axis] == 1,
                   "squeezed: axis \(axis) of shape \(shape) does not have extent 1")
    }
    return reshaped(to: shape.indices.filter { !removed.contains($0) }.map { shape[$0] })
  }

  /// This tensor repeated along broadcast dimensions to `targetShape` (NumPy rules).
  public func broadcast(to targetShape: [Int]) -> Tensor {
    precondition(Tensor.broadcastShape(shape, targetShape, operation: "broadcast(to:)") == targetShape,
                 "broadcast(to:): shape \(shape) cannot broadcast to \(targetShape)")
    if shape == targetShape { return self }
    return Tensor.zeros(shape: targetShape) + self
  }

  /// The rows `range` of a tensor (along the first dimension), copied.
  public func rows(_ range: Range<Int>) -> Tensor {
    precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                 "rows: range \(range) is outside the \(shape.first ?? 0) rows of shape \(shape)")
    let rowSize = shape.dropFirst().reduce(1, *)
    var newShape = shape
    newShape[0] = range.count
    let source = contiguous()
    return Tensor.make(shape: newShape) { out in
      guard !out.isEmpty else { return }
      out.baseAddress!.update(from: source.storage.pointer + range.lowerBound * rowSize,
                              count: range.count * rowSize)
    }
  }

  /// The rows at `indices` (index-select along the first dimension); indices may repeat.
  public func gatheringRows(_ indices: [Int]) -> Tensor {
    precondition(rank >= 1, "gatheringRows: needs rank ≥ 1, got shape \(shape)")
    let rowCount = shape[0]
    let rowSize = shape.dropFirst().reduce(1, *)
    var newShape = shape
    newShape[0] = indices.count
    let source = contiguous()
    return Tensor.make(shape: newShape) { out in
      for (row, index) in indices.enumerated() {
        precondition(index >= 0 && index < rowCount,
                     "gatheringRows: index \(index) is outside 0..<\(rowCount)")
        (out.baseAddress! + row * rowSize).update(
          from: source.storage.pointer + index * rowSize, count: rowSize)
      }
    }
  }

  /// Joins `tensors` along `axis`; all other extents must agree.
  public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate: needs at least one tensor")
    let first = tensors[0].shape
    precondition(axis >= 0 && axis < first.count, "concatenate: axis \(axis) is outside shape \(first)")
    for tensor in tensors {
      var a = tensor.shape, b = first
      precondition(a.count == b.count, "concatenate: shape \(tensor.shape) does not match \(first)")
      a[axis] = 0; b[axis] = 0
      precondition(a == b, "concatenate: shape \(tensor.shape) does not match \(first) off axis \(axis)")
    }
    var newShape = first
    newShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
    let outer = first[..<axis].reduce(1, *)
    let inner = first[(axis + 1)...].reduce(1, *)
    let sources = tensors.map { $0.contiguous() }
    return make(shape: newShape) { out in
      var written = 0
      for outerIndex in 0..<outer {
        for source in sources {
          let chunk = source.shape[axis] * inner
          (out.baseAddress! + written).update(
            from: source.storage.pointer + outerIndex * chunk, count: chunk)
          written += chunk
        }
      }
    }
  }

  /// Stacks equally shaped tensors along a new dimension `axis`.
  public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "stack: needs at least one tensor")
    return concatenate(tensors.map { $0.unsqueezed(at: axis) }, alongAxis: axis)
  }

  /// The NumPy broadcast of two shapes; a mismatch is a precondition failure naming `operation`.
  public static func broadcastShape(_ lhs: [Int], _ rhs: [Int], operation: String) -> [Int] {
    if lhs == rhs { return lhs }
    let rank = Swift.max(lhs.count, rhs.count)
    var result = [Int](repeating: 1, count: rank)
    for position in 0..<rank {
      let a = position < rank - lhs.count ? 1 : lhs[position - (rank - lhs.count)]
      let b = position < rank - rhs.count ? 1 : rhs[position - (rank - rhs.count)]
      precondition(a == b || a == 1 || b == 1,
                   "\(operation): shape \(lhs) does not broadcast with \(rhs)")
      result[position] = a == 1 ? b : a
    }
    return result
  }
}

extension Tensor {
  /// The entries `range` along `axis` (a copy).
  public func slice(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
    let axis = normalizedAxis(axis)
    precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                 "slice: range \(range) is outside axis \(axis) of shape \(shape)")
    let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
    var newShape = shape
    newShape[axis] = range.count
    let source = contiguous()
    let extent = shape[axis]
    return Tensor.make(shape: newShape) { out in
      let chunk = range.count * inner
      guard chunk > 0 else { return }
      for outerIndex in 0..<outer {
        (out.baseAddress! + outerIndex * chunk).update(
          from: source.storage.pointer + (outerIndex * extent + range.lowerBound) * inner, count: chunk)
      }
    }
  }
}
