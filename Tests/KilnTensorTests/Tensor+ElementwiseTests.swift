import KilnTensor
import Testing

@Suite struct TensorElementwiseTests {
  @Test func addingBroadcastsARowAcrossRows() {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect((a + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
  }

  @Test func multiplyingBroadcastsAColumnAgainstARow() {
    let column = Tensor(shape: [2, 1], scalars: [1, 2])
    let row = Tensor(shape: [1, 3], scalars: [1, 10, 100])
    let product = column * row
    #expect(product.shape == [2, 3])
    #expect(product.scalars == [1, 10, 100, 2, 20, 200])
  }

  @Test func broadcastingOverLeadingAxesMatchesNumPy() {
    let a = Tensor.arange(to: 12).reshaped(to: [2, 3, 2])
    let b = Tensor(shape: [3, 1], scalars: [100, 200, 300])
    let sum = a + b
    #expect(sum.shape == [2, 3, 2])
    #expect(sum.scalars == [100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311])
  }

  @Test func broadcastShapeCombinesExtentsOfOne() {
    #expect(Tensor.broadcastShape([4, 1, 3], [2, 1], operation: "test") == [4, 2, 3])
  }

  @Test func sigmoidIsStableForLargeMagnitudes() {
    let values = Tensor([-1000, -20, 0, 20, 1000]).sigmoid().scalars
    #expect(values[0] == 0 && values[4] == 1 && values[2] == 0.5)
    #expect(values.allSatisfy { $0.isFinite })
  }

  @Test func activationsMatchTheirDefinitions() {
    let x = Tensor([-2, -0.5, 0.5, 2])
    #expect(x.relu().scalars == [0, 0, 0.5, 2])
    #expect(x.leakyRelu(slope: 0.1).scalars == [-0.2, -0.05, 0.5, 2])
    #expect(x.clamped(lower: -1, upper: 1).scalars == [-1, -0.5, 0.5, 1])
    #expect(Swift.abs(Tensor([1]).gelu().scalar - 0.8413447) < 1e-5)
    #expect(Swift.abs(Tensor([0.5]).tanh().scalar - 0.46211716) < 1e-6)
  }

  @Test func whereSelectsByCondition() {
    let result = Tensor.where(Tensor([1, 0, 1]), Tensor([1, 2, 3]), Tensor([-1]))
    #expect(result.scalars == [1, -1, 3])
  }

  @Test func comparisonsReturnZeroOrOne() {
    #expect(Tensor([1, 2, 3]).greater(than: Tensor([2])).scalars == [0, 0, 1])
    #expect(Tensor([1, 2, 3]).less(than: Tensor([2])).scalars == [1, 0, 0])
    #expect(Tensor([1, 2, 3]).equal(to: Tensor([2])).scalars == [0, 1, 0])
  }

  @Test func writesCopyOnlyWhenStorageIsShared() {
    let original = Tensor([1, 2, 3])
    var copy = original
    copy += Tensor([1, 1, 1])
    #expect(original.scalars == [1, 2, 3])
    #expect(copy.scalars == [2, 3, 4])
    let unique = copy.isUniquelyReferenced()
    #expect(unique)
  }
}
