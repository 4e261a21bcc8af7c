import KilnRandom
extension Tensor {
  /// A tensor of `shape` filled with zeros.
  public static func zeros(shape: [Int]) -> Tensor { full(shape: shape, value: 0) }

  /// A tensor of `shape` filled with ones.
  public static func ones(shape: [Int]) -> Tensor { full(shape: shape, value: 1) }

  /// A tensor of `shape` filled with `value`.
  public static func full(shape: [Int], value: Float) -> Tensor {
    Tensor(shape: shape, storage: TensorStorage(count: scalarCount(of: shape), repeating: value))
  }

  /// Zeros with the shape of `other`.
  public static func zeros(like other: Tensor) -> Tensor { zeros(shape: other.shape) }

  /// The one-dimensional tensor `start, start + step, …` of values below `end` (`step > 0`) or above
  /// it (`step < 0`).
  public static func arange(from start: Float = 0, to end: Float, by step: Float = 1) -> Tensor {
    precondition(step != 0, "arange: step must not be zero")
    let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
    return make(shape: [count]) { out in
      for index in 0..<count { out[index] = start + Float(index) * step }
    }
  }

  /// Uniform draws on `[lower, upper)` from `generator` (`lower + (upper − lower)·nextFloat()`), in
  /// row-major order, so a seed fixes the tensor on every platform.
  public static func randomUniform(
    shape: [Int], lower: Float = 0, upper: Float = 1, using generator: inout SeededGenerator
  ) -> Tensor {
    precondition(lower <= upper, "randomUniform: lower \(lower) exceeds upper \(upper)")
    let width = upper - lower
    return make(shape: shape) { out in
      for index in out.indices { out[index] = lower + width * generator.nextFloat() }
    }
  }

  /// Normal draws with `mean` and `standardDeviation` from `generator` (Box–Muller, row-major order).
  public static func randomNormal(
    shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    using generator: inout SeededGenerator
  ) -> Tensor {
    precondition(standardDeviation >= 0,
                 "randomNormal: standard deviation \(standardDeviation) must not be negative")
    return make(shape: shape) { out in
      for index in out.indices {
        out[index] = mean + standardDeviation * Float(generator.nextNormal())
      }
    }
  }

  /// One-hot rows: `result[i, indices[i]] = 1`, shape `[indices.count, depth]`.
  public static func oneHot(_ indices: [Int], depth: Int) -> Tensor {
    var result = zeros(shape: [indices.count, depth])
    result.withUnsafeMutableBufferPointer { out in
      for (row, index) in indices.enumerated() {
        precondition(index >= 0 && index < depth, "oneHot: index \(index) is outside 0..<\(depth)")
        out[row * depth + index] = 1
      }
    }
    return result
  }
}
