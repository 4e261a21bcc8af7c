import Foundation

extension Tensor {
  /// softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m) along `axis`, m the maximum along the axis (stable).
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis)
    guard axis == rank - 1 else {
      let shifted = (self - max(alongAxes: [axis], keepingDimensions: true)).exp()
      return shifted / shifted.sum(alongAxes: [axis], keepingDimensions: true)
    }
    return rowwise { row, out, extent in
      var maximum = -Float.infinity
      for k in 0..<extent { maximum = Swift.max(maximum, row[k]) }
      var total: Float = 0
      for k in 0..<extent {
        let value = expf(row[k] - maximum)
        out[k] = value
        total += value
      }
      let inverse = 1 / total
      for k in 0..<extent { out[k] *= inverse }
    }
  }

  /// log softmax(x) = x − m − log Σ e^(x − m) along `axis` (stable).
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis)
    guard axis == rank - 1 else {
      return self - logSumExp(alongAxes: [axis], keepingDimensions: true)
    }
    return rowwise { row, out, extent in
      var maximum = -Float.infinity
      for k in 0..<extent { maximum = Swift.max(maximum, row[k]) }
      var total: Float = 0
      for k in 0..<extent { total += expf(row[k] - maximum) }
      let shift = maximum + logf(total)
      for k in 0..<extent { out[k] = row[k] - shift }
    }
  }

  /// Runs `body` on each row along the last axis (input row, output row, row length).
  @inline(__always)
  func rowwise(
    _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
  ) -> Tensor {
    let source = contiguous()
    let extent = shape.last ?? 1
    let rows = extent == 0 ? 0 : scalarCount / extent
    return Tensor.make(shape: shape) { out in
      for row in 0..<rows {
        body(source.storage.pointer + row * extent, out.baseAddress! + row * extent, extent)
      }
    }
  }
}
