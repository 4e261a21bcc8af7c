import KilnRandom
import KilnTensor
import Testing

/// The C kernels against their scalar definitions written here in Swift, bit for bit, in both
/// the baseline and the AVX2 version (the latter where the processor has it). The inputs mix
/// signs, zeros, values near the flush threshold and a NaN, and the counts are not multiples of
/// any vector width, so the loops' tails run too.
@Suite(.serialized) struct ElementwiseKernelsTests {
  static let count = 1_003

  static func values(seed: UInt64, scale: Float) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    var values = (0..<count).map { _ in Float.random(in: -scale...scale, using: &generator) }
    values[0] = 0; values[1] = -0.0; values[2] = 1e-31; values[3] = -1e-31; values[4] = .nan
    return values
  }

  /// Runs `body` once with the baseline and once with AVX2 (when present), restoring the choice.
  static func inEveryVersion(_ body: (String) -> Void) {
    let initial = ElementwiseKernels.usesAVX2
    defer { ElementwiseKernels.useAVX2(initial) }
    ElementwiseKernels.useAVX2(false)
    #expect(!ElementwiseKernels.usesAVX2)
    body("baseline")
    if ElementwiseKernels.useAVX2(true) { body("avx2") }
  }

  /// Equal bits, except that any NaN matches any NaN (which NaN an operation returns may depend
  /// on its operands' order, which the compiler may swap).
  static func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
  }

  @Test(arguments: [(Float(0), Float(1)), (Float(0.01), Float(1)), (Float(0), Float(0.999))])
  func adamEqualsItsScalarDefinition(l2: Float, shrink: Float) {
    let gradient = Self.values(seed: 1, scale: 2), parameter = Self.values(seed: 2, scale: 1)
    let first = Self.values(seed: 3, scale: 0.1), second = Self.values(seed: 4, scale: 0.01).map { abs($0) }
    let c = ElementwiseKernels.AdamConstants(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, rate: 1e-3, l2: l2, shrink: shrink,
                                             firstCorrection: 10, secondCorrection: 1000, flushThreshold: 1e-30)
    var expectedFirst = first, expectedSecond = second, expectedParameter = parameter
    for i in 0..<Self.count {
      let theta = parameter[i]
      let grad = gradient[i] + c.l2 * theta
      var m = c.beta1 * first[i] + (1 - c.beta1) * grad
      var v = c.beta2 * second[i] + (1 - c.beta2) * grad * grad
      m = abs(m) < c.flushThreshold ? 0 : m
      v = v < c.flushThreshold ? 0 : v
      expectedFirst[i] = m
      expectedSecond[i] = v
      expectedParameter[i] = theta * c.shrink - c.rate * (m * c.firstCorrection) / ((v * c.secondCorrection).magnitude.squareRoot() + c.epsilon)
    }
    #expect(expectedFirst[2] == 0 && expectedSecond[3] == 0)
    Self.inEveryVersion { version in
      var m = first, v = second, theta = parameter
      gradient.withUnsafeBufferPointer { g in
        m.withUnsafeMutableBufferPointer { m in
          v.withUnsafeMutableBufferPointer { v in
            theta.withUnsafeMutableBufferPointer { theta in
              // Two parts, as a two-thread pass would split them.
              for range in [0..<500, 500..<Self.count] {
                ElementwiseKernels.adamUpdate(range, c, gradient: g.baseAddress!, firstMoment: m.baseAddress!,
                                              secondMoment: v.baseAddress!, parameter: theta.baseAddress!)
              }
            }
          }
        }
      }
      #expect(Self.sameBits(m, expectedFirst), "\(version): first moment")
      #expect(Self.sameBits(v, expectedSecond), "\(version): second moment")
      #expect(Self.sameBits(theta, expectedParameter), "\(version): parameter")
    }
  }

  @Test func reluEqualsItsScalarDefinition() {
    let input = Self.values(seed: 5, scale: 3)
    let expected = input.map { $0 > 0 ? $0 : 0 }
    #expect(expected[4] == 0, "NaN becomes 0")
    Self.inEveryVersion { version in
      var values = input
      values.withUnsafeMutableBufferPointer { ElementwiseKernels.reluInPlace($0.baseAddress!, count: $0.count) }
      #expect(Self.sameBits(values, expected), "\(version)")
    }
  }

  @Test(arguments: [true, false])
  func maskedRowsEqualItsScalarDefinition(summing: Bool) {
    let rows = 17, columns = 59
    var generator = SeededGenerator(seed: 6)
    let gradient = (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &generator) }
    let activation = (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &generator) }
    var expected = [Float](repeating: 0, count: rows * columns), expectedSums = [Float](repeating: 0, count: columns)
    for row in 0..<rows {
      for column in 0..<columns {
        let index = row * columns + column
        expected[index] = activation[index] > 0 ? gradient[index] : 0
        expectedSums[column] += expected[index]
      }
    }
    /// The kernel over three column parts, as a split pass covers them; in place, the gradient's
    /// buffer is the result.
    func masked(inPlace: Bool) -> (values: [Float], sums: [Float]) {
      var values = inPlace ? gradient : [Float](repeating: .nan, count: rows * columns)
      var sums = [Float](repeating: 0, count: columns)
      gradient.withUnsafeBufferPointer { g in
        activation.withUnsafeBufferPointer { a in
          values.withUnsafeMutableBufferPointer { v in
            sums.withUnsafeMutableBufferPointer { s in
              for range in [0..<20, 20..<21, 21..<columns] {
                ElementwiseKernels.maskedRows(rows: rows, columns: columns, columnRange: range,
                                              gradient: inPlace ? UnsafePointer(v.baseAddress!) : g.baseAddress!, activation: a.baseAddress!,
                                              result: v.baseAddress!, sums: summing ? s.baseAddress! : nil)
              }
            }
          }
        }
      }
      return (values, sums)
    }
    Self.inEveryVersion { version in
      let (result, sums) = masked(inPlace: false), (values, inPlaceSums) = masked(inPlace: true)
      #expect(Self.sameBits(result, expected), "\(version): masked gradient")
      #expect(Self.sameBits(sums, summing ? expectedSums : [Float](repeating: 0, count: columns)), "\(version): column sums")
      #expect(Self.sameBits(values, expected), "\(version): masked gradient in place")
      #expect(Self.sameBits(inPlaceSums, sums), "\(version): column sums in place")
    }
  }

  /// The fused head's forward: ReLU in place and each row's dot product in eight interleaved
  /// running sums, added pairwise, then the tail columns in order, then the bias. 21 columns run the
  /// vector loop twice and a tail of 5; 3 columns are all tail; row 1 holds a NaN and a −0.
  @Test(arguments: [21, 3]) func reluRowsDotEqualsItsScalarDefinition(columns: Int) {
    let rows = 7
    var generator = SeededGenerator(seed: 7)
    var input = (0..<(rows * columns)).map { _ in Float.random(in: -2...2, using: &generator) }
    input[columns] = .nan
    input[columns + 1] = -0.0
    let weight = (0..<columns).map { _ in Float.random(in: -1...1, using: &generator) }
    let bias: Float = 0.25
    let expectedValues = input.map { $0 > 0 ? $0 : 0 }
    var expectedOut = [Float](repeating: 0, count: rows)
    for row in 0..<rows {
      var lanes = [Float](repeating: 0, count: 8)
      var column = 0
      while column + 8 <= columns {
        for lane in 0..<8 { lanes[lane] += expectedValues[row * columns + column + lane] * weight[column + lane] }
        column += 8
      }
      var total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
      while column < columns {
        total += expectedValues[row * columns + column] * weight[column]
        column += 1
      }
      expectedOut[row] = total + bias
    }
    Self.inEveryVersion { version in
      var values = input, out = [Float](repeating: .nan, count: rows)
      values.withUnsafeMutableBufferPointer { v in
        weight.withUnsafeBufferPointer { w in
          out.withUnsafeMutableBufferPointer { o in
            // Two parts, as a two-thread pass splits the rows.
            for range in [0..<3, 3..<rows] {
              ElementwiseKernels.reluRowsDot(rowRange: range, columns: columns, values: v.baseAddress!,
                                             weight: w.baseAddress!, bias: bias, out: o.baseAddress!)
            }
          }
        }
      }
      #expect(Self.sameBits(values, expectedValues), "\(version): ReLU")
      #expect(Self.sameBits(out, expectedOut), "\(version): dot products")
    }
  }

  /// The fused head's backward, over three column parts, out of place and in place.
  @Test func headBackwardEqualsItsScalarDefinition() {
    let rows = 13, columns = 37
    var generator = SeededGenerator(seed: 8)
    let hidden = (0..<(rows * columns)).map { _ in max(0, Float.random(in: -1...1, using: &generator)) }
    let gradient = (0..<rows).map { _ in Float.random(in: -1...1, using: &generator) }
    let weight = (0..<columns).map { _ in Float.random(in: -1...1, using: &generator) }
    var expected = [Float](repeating: 0, count: rows * columns)
    var expectedBias = [Float](repeating: 0, count: columns), expectedWeight = [Float](repeating: 0, count: columns)
    for row in 0..<rows {
      for column in 0..<columns {
        let index = row * columns + column
        expected[index] = hidden[index] > 0 ? gradient[row] * weight[column] : 0
        expectedBias[column] += expected[index]
        expectedWeight[column] += gradient[row] * hidden[index]
      }
    }
    #expect(expected.contains(0) && expected.contains { $0 != 0 })
    func run(inPlace: Bool) -> [[Float]] {
      var result = inPlace ? hidden : [Float](repeating: .nan, count: rows * columns)
      var biasSums = [Float](repeating: 0, count: columns), weightSums = [Float](repeating: 0, count: columns)
      hidden.withUnsafeBufferPointer { h in
        gradient.withUnsafeBufferPointer { g in
          weight.withUnsafeBufferPointer { w in
            result.withUnsafeMutableBufferPointer { r in
              biasSums.withUnsafeMutableBufferPointer { b in
                weightSums.withUnsafeMutableBufferPointer { s in
                  for range in [0..<16, 16..<17, 17..<columns] {
                    ElementwiseKernels.headBackward(
                      rows: rows, columns: columns, columnRange: range,
                      hidden: inPlace ? UnsafePointer(r.baseAddress!) : h.baseAddress!, gradient: g.baseAddress!,
                      weight: w.baseAddress!, result: r.baseAddress!, biasSums: b.baseAddress!, weightSums: s.baseAddress!)
                  }
                }
              }
            }
          }
        }
      }
      return [result, biasSums, weightSums]
    }
    Self.inEveryVersion { version in
      for inPlace in [false, true] {
        let got = run(inPlace: inPlace)
        #expect(Self.sameBits(got[0], expected), "\(version), in place \(inPlace): gradient")
        #expect(Self.sameBits(got[1], expectedBias), "\(version), in place \(inPlace): bias sums")
        #expect(Self.sameBits(got[2], expectedWeight), "\(version), in place \(inPlace): weight sums")
      }
    }
  }

  /// Streaming zeroing: every value in the range becomes 0 whatever its alignment, and nothing
  /// outside the range is touched.
  @Test(arguments: [(0, 64), (1, 37), (3, 4), (2, 1), (5, 0)])
  func zeroStreamingZeroesExactlyItsRange(offset: Int, count: Int) {
    var values = [Float](repeating: .nan, count: offset + count + 7)
    values.withUnsafeMutableBufferPointer { ElementwiseKernels.zeroStreaming($0.baseAddress! + offset, count: count) }
    #expect(values[offset..<(offset + count)].allSatisfy { $0 == 0 && $0.sign == .plus })
    #expect(values[..<offset].allSatisfy(\.isNaN) && values[(offset + count)...].allSatisfy(\.isNaN))
  }
}
