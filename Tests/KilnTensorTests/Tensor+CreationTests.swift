import KilnRandom
import KilnTensor
import Testing

@Suite struct TensorCreationTests {
  @Test func constantConstructors() {
    #expect(Tensor.zeros(shape: [2, 2]).scalars == [0, 0, 0, 0])
    #expect(Tensor.ones(shape: [3]).scalars == [1, 1, 1])
    #expect(Tensor.full(shape: [2], value: 7).scalars == [7, 7])
    #expect(Tensor.arange(from: 1, to: 2, by: 0.25).scalars == [1, 1.25, 1.5, 1.75])
  }

  @Test func randomTensorsAreFixedBySeed() {
    var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42)
    let a = Tensor.randomNormal(shape: [100], using: &first)
    let b = Tensor.randomNormal(shape: [100], using: &second)
    #expect(a == b)
    let c = Tensor.randomUniform(shape: [1000], lower: -2, upper: 3, using: &first)
    #expect(c.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
  }

  @Test func randomNormalHasTheRequestedMoments() {
    var generator = SeededGenerator(seed: 3)
    let samples = Tensor.randomNormal(shape: [20_000], mean: 2, standardDeviation: 0.5, using: &generator)
    #expect(Swift.abs(samples.mean().scalar - 2) < 0.02)
    #expect(Swift.abs(samples.variance().scalar.squareRoot() - 0.5) < 0.02)
  }

  @Test func recycledLargeBuffersAreFullyRewritten() {
    // Large buffers are reused after release; new tensors must not see the old contents.
    let count = 1 << 15
    for _ in 0..<3 {
      do { _ = Tensor.full(shape: [count], value: 7) }
      #expect(Tensor.zeros(shape: [count]).scalars.allSatisfy { $0 == 0 })
      #expect(Tensor.arange(to: Float(count)).scalars.last == Float(count - 1))
    }
  }
}
