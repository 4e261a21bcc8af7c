import Foundation

// Elementwise operations. Each loop walks contiguous buffers through raw pointers; the transform is
// a closure literal passed to an `@inlinable` helper, so optimised builds inline it and the
// loops vectorise where the arithmetic allows.

extension Tensor {
  /// Applies `transform` to every scalar (inlined into the caller, so the loop can vectorise).
  @inlinable
  public func mapped(_ transform: (Float) -> Float) -> Tensor {
    let source = contiguous()
    let input = source.storage.pointer
    return Tensor.make(shape: shape) { out in
      let output = out.baseAddress!
      for index in 0..<out.count { output[index] = transform(input[index]) }
    }
  }

  /// Combines this tensor with `other` scalar by scalar under NumPy broadcasting (inlined into the
  /// caller; `operation` names the op in shape-mismatch messages).
  @inlinable
  public func combined(
    with other: Tensor, operation: String, _ combine: (Float, Float) -> Float
  ) -> Tensor {
    let a = contiguous(), b = other.contiguous()
    let left = a.storage.pointer, right = b.storage.pointer
    if a.shape == b.shape {
      return Tensor.make(shape: a.shape) { out in
        let output = out.baseAddress!
        for index in 0..<out.count { output[index] = combine(left[index], right[index]) }
      }
    }
    let resultShape = Tensor.broadcastShape(a.shape, b.shape, operation: operation)
    if b.scalarCount == 1 && a.shape == resultShape {
      let value = right[0]
      return Tensor.make(shape: resultShape) { out in
        let output = out.baseAddress!
        for index in 0..<out.count { output[index] = combine(left[index], value) }
      }
    }
    if a.scalarCount == 1 && b.shape == resultShape {
      let value = left[0]
      return Tensor.make(shape: resultShape) { out in
        let output = out.baseAddress!
        for index in 0..<out.count { output[index] = combine(value, right[index]) }
      }
    }
    let rank = resultShape.count
    let leftStrides = Tensor.broadcastStrides(of: a.shape, into: resultShape)
    let rightStrides = Tensor.broadcastStrides(of: b.shape, into: resultShape)
    return Tensor.make(shape: resultShape) { out in
      guard !out.isEmpty else { return }
      let output = out.baseAddress!
      let inner = resultShape[rank - 1]
      let leftInner = leftStrides[rank - 1], rightInner = rightStrides[rank - 1]
      var index = [Int](repeating: 0, count: rank)
      var written = 0
      while written < out.count {
        var leftOffset = 0, rightOffset = 0
        for axis in 0..<(rank - 1) {
          leftOffset += index[axis] * leftStrides[axis]
          rightOffset += index[axis] * rightStrides[axis]
        }
        let row = output + written, l = left + leftOffset, r = right + rightOffset
        if leftInner == 1 && rightInner == 1 {
          for k in 0..<inner { row[k] = combine(l[k], r[k]) }
        } else if leftInner == 1 {
          let value = r[0]
          for k in 0..<inner { row[k] = combine(l[k], value) }
        } else if rightInner == 1 {
          let value = l[0]
          for k in 0..<inner { row[k] = combine(value, r[k]) }
        } else {
          let value = combine(l[0], r[0])
          for k in 0..<inner { row[k] = value }
        }
        written += inner
        var axis = rank - 2
        while axis >= 0 {
          index[axis] += 1
          if index[axis] < resultShape[axis] { break }
          index[axis] = 0
          axis -= 1
        }
      }
    }
  }

  /// Strides that read `shape` as if broadcast to `target` (0 along broadcast dimensions).
  @usableFromInline
  static func broadcastStrides(of shape: [Int], into target: [Int]) -> [Int] {
    let own = contiguousStrides(for: shape)
    let lead = target.count - shape.count
    return target.indices.map { axis in
      axis < lead || shape[axis - lead] == 1 ? 0 : own[axis - lead]
    }
  }

  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.combined(with: rhs, operation: "add") { $0 + $1 } }
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.combined(with: rhs, operation: "subtract") { $0 - $1 } }
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.combined(with: rhs, operation: "multiply") { $0 * $1 } }
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.combined(with: rhs, operation: "divide") { $0 / $1 } }
  public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 + rhs } }
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 - rhs } }
  public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 * rhs } }
  public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 / rhs } }
  public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs.mapped { lhs + $0 } }
  public static func - (lhs: Float, rhs: Tensor) -> Tensor { rhs.mapped { lhs - $0 } }
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.mapped { lhs * $0 } }
  public static func / (lhs: Float, rhs: Tensor) -> Tensor { rhs.mapped { lhs / $0 } }
  public static prefix func - (operand: Tensor) -> Tensor { operand.mapped { -$0 } }

  /// The larger of the two operands, scalar by scalar (broadcasting).
  public func maximum(_ other: Tensor) -> Tensor { combined(with: other, operation: "maximum") { Swift.max($0, $1) } }
  /// The smaller of the two operands, scalar by scalar (broadcasting).
  public func minimum(_ other: Tensor) -> Tensor { combined(with: other, operation: "minimum") { Swift.min($0, $1) } }

  /// eˣ.
  public func exp() -> Tensor { mapped { expf($0) } }
  /// Natural logarithm.
  public func log() -> Tensor { mapped { logf($0) } }
  /// √x.
  public func squareRoot() -> Tensor { mapped { $0.squareRoot() } }
  /// xᵖ for a scalar exponent.
  public func pow(_ exponent: Float) -> Tensor {
    if exponent == 2 { return mapped { $0 * $0 } }
    return mapped { powf($0, exponent) }
  }
  /// |x|.
  public func abs() -> Tensor { mapped { Swift.abs($0) } }
  /// x limited to `[lower, upper]`.
  public func clamped(lower: Float, upper: Float) -> Tensor {
    precondition(lower <= upper, "clamped: lower \(lower) exceeds upper \(upper)")
    return mapped { Swift.min(Swift.max($0, lower), upper) }
  }
  /// max(x, 0).
  public func relu() -> Tensor { mapped { $0 > 0 ? $0 : 0 } }
  /// x for x > 0, slope·x otherwise.
  public func leakyRelu(slope: Float = 0.01) -> Tensor { mapped { $0 > 0 ? $0 : slope * $0 } }
  /// GELU, exact form: x·Φ(x) = x·(1 + erf(x/√2))/2 (Hendrycks & Gimpel, arXiv:1606.08415).
  public func gelu() -> Tensor { mapped { 0.5 * $0 * (1 + erff($0 * 0.70710678118654752)) } }
  /// 1/(1 + e⁻ˣ), computed without overflow for large |x|.
  public func sigmoid() -> Tensor {
    mapped { x in
      x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
    }
  }
  /// Hyperbolic tangent.
  public func tanh() -> Tensor { mapped { tanhf($0) } }

  /// 1 where this is greater than `other`, else 0 (broadcasting).
  public func greater(than other: Tensor) -> Tensor { combined(with: other, operation: "greater") { $0 > $1 ? 1 : 0 } }
  /// 1 where this is less than `other`, else 0 (broadcasting).
  public func less(than other: Tensor) -> Tensor { combined(with: other, operation: "less") { $0 < $1 ? 1 : 0 } }
  /// 1 where this equals `other`, else 0 (broadcasting).
  public func equal(to other: Tensor) -> Tensor { combined(with: other, operation: "equal") { $0 == $1 ? 1 : 0 } }
  /// 1 where this is greater than `threshold`, else 0.
  public func greater(than threshold: Float) -> Tensor { mapped { $0 > threshold ? 1 : 0 } }

  /// `a` where `condition` is non-zero, else `b` (all three broadcast together).
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = broadcastShape(broadcastShape(condition.shape, a.shape, operation: "where"),
                               b.shape, operation: "where")
    let mask = condition.broadcast(to: shape), first = a.broadcast(to: shape)
    let second = b.broadcast(to: shape)
    let m = mask.storage.pointer, x = first.storage.pointer, y = second.storage.pointer
    return make(shape: shape) { out in
      for index in 0..<out.count { out[index] = m[index] != 0 ? x[index] : y[index] }
    }
  }
}

extension Tensor {
  /// Adds `other` (same shape) into this tensor in place when its storage is unshared.
  public static func += (lhs: inout Tensor, rhs: Tensor) {
    guard lhs.shape == rhs.shape else { lhs = lhs + rhs; return }
    let source = rhs.contiguous()
    lhs.withUnsafeMutableBufferPointer { out in
      let output = out.baseAddress!, input = source.storage.pointer
      for index in 0..<out.count { output[index] += input[index] }
    }
  }

  /// Multiplies this tensor by `scale` in place when its storage is unshared.
  public static func *= (lhs: inout Tensor, rhs: Float) {
    lhs.withUnsafeMutableBufferPointer { out in
      let output = out.baseAddress!
      for index in 0..<out.count { output[index] *= rhs }
    }
  }
}
