import KilnRandom
import KilnTensor
import Testing

/// The textbook triple loop, as the reference.
func naiveProduct(_ a: Tensor, _ b: Tensor) -> [Float] {
  let m = a.shape[0], k = a.shape[1], n = b.shape[1]
  let x = a.scalars, y = b.scalars
  var out = [Float](repeating: 0, count: m * n)
  for i in 0..<m { for j in 0..<n { for p in 0..<k { out[i * n + j] += x[i * k + p] * y[p * n + j] } } }
  return out
}

func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
}

@Suite struct TensorMatrixMultiplicationTests {
  @Test func matmulMatchesTheTripleLoop() {
    var generator = SeededGenerator(seed: 5)
    let a = Tensor.randomNormal(shape: [7, 5], using: &generator)
    let b = Tensor.randomNormal(shape: [5, 3], using: &generator)
    #expect(close(a.matmul(b).scalars, naiveProduct(a, b)))
  }

  @Test func transposedViewsAreMultipliedWithoutCopiesAndCorrectly() {
    var generator = SeededGenerator(seed: 6)
    let a = Tensor.randomNormal(shape: [5, 7], using: &generator)
    let b = Tensor.randomNormal(shape: [3, 5], using: &generator)
    let product = a.transposed.matmul(b.transposed)
    #expect(product.shape == [7, 3])
    #expect(close(product.scalars, naiveProduct(a.transposed.contiguous(), b.transposed.contiguous())))
  }

  @Test(arguments: [(1, 5, 3), (4, 5, 1), (1, 5, 1), (3, 1, 4)])
  func matrixVectorShapesMatchTheTripleLoopWithEveryTransposeCombination(m: Int, k: Int, n: Int) {
    var generator = SeededGenerator(seed: UInt64(m * 100 + k * 10 + n))
    let a = Tensor.randomNormal(shape: [m, k], using: &generator)
    let b = Tensor.randomNormal(shape: [k, n], using: &generator)
    let expected = naiveProduct(a, b)
    let aT = a.transposed.contiguous(), bT = b.transposed.contiguous()
    #expect(close(a.matmul(b).scalars, expected))
    #expect(close(aT.transposed.matmul(b).scalars, expected))
    #expect(close(a.matmul(bT.transposed).scalars, expected))
    #expect(close(aT.transposed.matmul(bT.transposed).scalars, expected))
  }

  @Test func batchedMatmulMultipliesEachEntry() {
    var generator = SeededGenerator(seed: 7)
    let a = Tensor.randomNormal(shape: [3, 4, 2], using: &generator)
    let b = Tensor.randomNormal(shape: [3, 2, 5], using: &generator)
    let product = a.matmul(b)
    #expect(product.shape == [3, 4, 5])
    for index in 0..<3 {
      let expected = naiveProduct(a.rows(index..<(index + 1)).reshaped(to: [4, 2]),
                                  b.rows(index..<(index + 1)).reshaped(to: [2, 5]))
      #expect(close(product.rows(index..<(index + 1)).scalars, expected))
    }
    let shared = a.matmul(b.rows(0..<1).reshaped(to: [2, 5]))
    #expect(shared.shape == [3, 4, 5])
  }

  @Test func linearAddsTheBiasToTheProductWithTheTransposedWeight() {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let w = Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 1, 1])
    let y = Tensor.linear(x, weight: w, bias: Tensor([10, 20]))
    #expect(y.scalars == [11, 25, 14, 31])
  }
}

/// A large outer product ([m, 1] × [1, n], the input gradient of a layer with one output) is split
/// by rows over the BLAS threads; every element is one product, so any thread count gives the
/// definition's bits.
/// Products that Kiln splits or prepares itself: large outer products, and outputs it zeroes before
/// sgemm adds onto them. Serialized: they set the thread count.
@Suite(.serialized) struct LargeProductTests {
  @Test func aLargeOuterProductEqualsItsDefinitionAtAnyThreadCount() {
    var generator = SeededGenerator(seed: 8)
    let a = Tensor.randomUniform(shape: [600, 1], lower: -1, upper: 1, using: &generator)
    let b = Tensor.randomUniform(shape: [1, 513], lower: -1, upper: 1, using: &generator)
    #expect(600 * 513 >= ElementwiseParallelism.minimumElements)
    let x = a.scalars, y = b.scalars
    let expected = (0..<600).flatMap { i in (0..<513).map { j in x[i] * y[j] } }
    let saved = BLASThreads.maximum
    defer { BLASThreads.maximum = saved }
    for threads in [1, 3] {
      BLASThreads.maximum = threads
      let product = a.matmul(b).scalars
      // Compared by count and bits: a failing `==` on arrays this long would diff them.
      #expect(product.count == expected.count && zip(product, expected).allSatisfy { $0.bitPattern == $1.bitPattern },
              "\(threads) threads")
    }
  }

  /// A large product's output is zeroed by Kiln, split over the threads, and sgemm adds onto it
  /// (β = 1): what a recycled buffer held before must not leak into the result. 600 × 513 is
  /// zeroed by a plain fill, 1100 × 1001 (over 2²⁰ values) with streaming stores.
  @Test(arguments: [(600, 8, 513), (1100, 2, 1001)])
  func aLargeProductIgnoresWhatItsRecycledBufferHeld(m: Int, k: Int, n: Int) {
    #expect(m * n >= ElementwiseParallelism.minimumElements)
    var generator = SeededGenerator(seed: 9)
    // Small integers: every sum is exact, so any order of additions gives the same bits.
    func integers(_ count: Int) -> [Float] { (0..<count).map { _ in Float(Int.random(in: -2...2, using: &generator)) } }
    let a = Tensor(shape: [m, k], scalars: integers(m * k)), b = Tensor(shape: [k, n], scalars: integers(k * n))
    let expected = naiveProduct(a, b)
    let saved = BLASThreads.maximum
    defer { BLASThreads.maximum = saved }
    for threads in [1, 3] {
      BLASThreads.maximum = threads
      // A buffer of the output's size full of NaN goes back to the cache, and the product reuses it.
      _ = Tensor.full(shape: [m, n], value: .nan).scalarCount
      let product = a.matmul(b).scalars
      #expect(product.count == expected.count && zip(product, expected).allSatisfy { $0 == $1 }, "\(threads) threads")
    }
  }
}
