import Foundation

extension Tensor {
  /// `axis` made non-negative (`-1` is the last axis).
  public func normalizedAxis(_ axis: Int) -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    precondition(resolved >= 0 && resolved < Swift.max(rank, 1),
                 "axis \(axis) is outside the \(rank) axes of shape \(shape)")
    return resolved
  }

  /// Sorted, distinct, non-negative axes (`nil` means all of them).
  func normalizedAxes(_ axes: [Int]?) -> [Int] {
    guard let axes else { return Array(0..<rank) }
    return Array(Set(axes.map { normalizedAxis($0) })).sorted()
  }

  /// Reduces one axis with `combine`, keeping it with extent 1. The input is viewed as
  /// outer × extent × inner; the inner loop runs over contiguous scalars.
  @inline(__always)
  func reduced(alongAxis axis: Int, initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
    let source = contiguous()
    let input = source.storage.pointer
    let outer = shape[..<axis].reduce(1, *), extent = shape[axis]
    let inner = shape[(axis + 1)...].reduce(1, *)
    var resultShape = shape
    resultShape[axis] = 1
    return Tensor.make(shape: resultShape) { out in
      let output = out.baseAddress!
      for outerIndex in 0..<outer {
        let row = output + outerIndex * inner
        let block = input + outerIndex * extent * inner
        if inner == 1 {
          var accumulator = initial
          for k in 0..<extent { accumulator = combine(accumulator, block[k]) }
          row[0] = accumulator
        } else {
          for i in 0..<inner { row[i] = initial }
          for k in 0..<extent {
            let slice = block + k * inner
            for i in 0..<inner { row[i] = combine(row[i], slice[i]) }
          }
        }
      }
    }
  }

  /// Applies a one-axis reduction over `axes`, then drops them unless `keepingDimensions`.
  @inline(__always)
  func reduced(
    alongAxes axes: [Int]?, keepingDimensions: Bool, initial: Float,
    _ combine: (Float, Float) -> Float
  ) -> Tensor {
    let resolved = normalizedAxes(axes)
    var result = self
    for axis in resolved.reversed() {
      result = result.reduced(alongAxis: axis, initial: initial, combine)
    }
    if keepingDimensions || resolved.isEmpty { return result }
    return result.reshaped(to: shape.indices.filter { !resolved.contains($0) }.map { shape[$0] })
  }

  /// The number of scalars folded into each result of a reduction over `axes`.
  public func reducedCount(alongAxes axes: [Int]?) -> Int {
    normalizedAxes(axes).reduce(1) { $0 * shape[$1] }
  }

  /// Σ over `axes` (all axes when `nil`).
  public func sum(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    reduced(alongAxes: axes, keepingDimensions: keepingDimensions, initial: 0) { $0 + $1 }
  }

  /// The arithmetic mean over `axes` (all axes when `nil`).
  public func mean(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    let count = reducedCount(alongAxes: axes)
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(count, 1)))
  }

  /// The population variance over `axes`: mean((x − mean x)²).
  public func variance(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    let centered = self - mean(alongAxes: axes, keepingDimensions: true)
    return (centered * centered).mean(alongAxes: axes, keepingDimensions: keepingDimensions)
  }

  /// The largest scalar over `axes`.
  public func max(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    reduced(alongAxes: axes, keepingDimensions: keepingDimensions, initial: -.infinity) { Swift.max($0, $1) }
  }

  /// The smallest scalar over `axes`.
  public func min(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    reduced(alongAxes: axes, keepingDimensions: keepingDimensions, initial: .infinity) { Swift.min($0, $1) }
  }

  /// log Σ eˣ over `axes`, computed as m + log Σ e^(x − m) with m the maximum, so it never overflows.
  public func logSumExp(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    let maximum = max(alongAxes: axes, keepingDimensions: true)
    let finiteMaximum = maximum.mapped { $0.isFinite ? $0 : 0 }
    let result = (self - finiteMaximum).exp().sum(alongAxes: axes, keepingDimensions: true).log()
      + finiteMaximum
    if keepingDimensions { return result }
    let resolved = normalizedAxes(axes)
    return result.reshaped(to: shape.indices.filter { !resolved.contains($0) }.map { shape[$0] })
  }

  /// The index of the largest scalar along `axis` (first one on ties), as Float values.
  public func argmax(alongAxis axis: Int = -1, keepingDimensions: Bool = false) -> Tensor {
    let axis = normalizedAxis(axis)
    let source = contiguous()
    let input = source.storage.pointer
    let outer = shape[..<axis].reduce(1, *), extent = shape[axis]
    let inner = shape[(axis + 1)...].reduce(1, *)
    var resultShape = shape
    if keepingDimensions { resultShape[axis] = 1 } else { resultShape.remove(at: axis) }
    return Tensor.make(shape: resultShape) { out in
      for outerIndex in 0..<outer {
        for i in 0..<inner {
          var best = 0
          var bestValue = -Float.infinity
          for k in 0..<extent {
            let value = input[(outerIndex * extent + k) * inner + i]
            if value > bestValue || (k == 0) { best = k; bestValue = value }
          }
          out[outerIndex * inner + i] = Float(best)
        }
      }
    }
  }

  /// Sums broadcast dimensions away so the result has `targetShape` (the inverse of broadcasting):
  /// leading extra dimensions are summed out, and dimensions where `targetShape` has 1 are summed
  /// with kept dimensions.
  public func summed(toShape targetShape: [Int]) -> Tensor {
    if shape == targetShape { return self }
    let lead = rank - targetShape.count
    precondition(lead >= 0, "summed(toShape:): shape \(shape) has fewer axes than \(targetShape)")
    var axes = Array(0..<lead)
    for (position, extent) in targetShape.enumerated() where extent == 1 && shape[lead + position] != 1 {
      axes.append(lead + position)
    }
    return sum(alongAxes: axes, keepingDimensions: true).reshaped(to: targetShape)
  }
}
