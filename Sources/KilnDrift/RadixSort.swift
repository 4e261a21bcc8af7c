/// A stable argsort of numbers by least-significant-digit radix sort on order-preserving 64-bit
/// keys (four 16-bit passes, a pass skipped when every key shares its digit): O(n), so a
/// million-row column sorts in milliseconds, and one sort serves the whole column and every group.
enum RadixSort {
  /// Row indices that put `values` in ascending order (ties keep row order; NaN sorts last).
  static func order(of values: [Double]) -> [Int32] {
    precondition(values.count < Int(Int32.max), "RadixSort.order: \(values.count) values exceed the Int32 index range")
    let count = values.count
    var keys = values.map(key)
    var indices = (0..<count).map { Int32($0) }
    var spareKeys = [UInt64](repeating: 0, count: count)
    var spareIndices = [Int32](repeating: 0, count: count)
    var offsets = [Int](repeating: 0, count: 1 << 16)
    for pass in 0..<4 {
      let shift = UInt64(pass * 16)
      let skipped: Bool = keys.withUnsafeBufferPointer { source in
        offsets.withUnsafeMutableBufferPointer { offsets in
          for index in offsets.indices { offsets[index] = 0 }
          for key in source { offsets[Int((key >> shift) & 0xFFFF)] += 1 }
          if let first = source.first, offsets[Int((first >> shift) & 0xFFFF)] == count { return true }
          var running = 0
          for index in offsets.indices {
            let bucket = offsets[index]
            offsets[index] = running
            running += bucket
          }
          return false
        }
      }
      if skipped { continue }
      keys.withUnsafeBufferPointer { source in
        indices.withUnsafeBufferPointer { sourceIndices in
          spareKeys.withUnsafeMutableBufferPointer { target in
            spareIndices.withUnsafeMutableBufferPointer { targetIndices in
              offsets.withUnsafeMutableBufferPointer { offsets in
                for position in 0..<count {
                  let key = source[position]
                  let digit = Int((key >> shift) & 0xFFFF)
                  let destination = offsets[digit]
                  target[destination] = key
                  targetIndices[destination] = sourceIndices[position]
                  offsets[digit] = destination + 1
                }
              }
            }
          }
        }
      }
      swap(&keys, &spareKeys)
      swap(&indices, &spareIndices)
    }
    return indices
  }

  /// Maps a double to an unsigned key with the same order: negative numbers have all bits
  /// flipped, others only the sign bit.
  static func key(_ value: Double) -> UInt64 {
    let bits = value.isNaN ? UInt64.max >> 1 : value.bitPattern
    return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
  }
}
