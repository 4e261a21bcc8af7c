import KilnRandom
import KilnTensor

extension SeededGenerator {
  /// Shuffles row indices in place: the same Fisher–Yates draws as `shuffle(_:)`, so the same
  /// permutation, written for `[Int]` so the loader's hot path needs no generic dispatch.
  mutating func shuffleIndices(_ values: inout [Int]) {
    guard values.count > 1 else { return }
    values.withUnsafeMutableBufferPointer { buffer in
      for i in stride(from: buffer.count - 1, to: 0, by: -1) {
        let j = uniformIndex(below: i + 1)
        if i != j { buffer.swapAt(i, j) }
      }
    }
  }
}
