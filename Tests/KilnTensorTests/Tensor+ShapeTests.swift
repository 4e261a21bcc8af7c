import KilnTensor
import Testing

@Suite struct TensorShapeTests {
  @Test func reshapeInfersOneExtent() {
    #expect(Tensor.arange(to: 12).reshaped(to: [3, -1]).shape == [3, 4])
  }

  @Test func transposeIsAViewThatMaterialisesCorrectly() {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let t = a.transposed
    #expect(!t.isContiguous)
    #expect(t.shape == [3, 2])
    #expect(t.scalars == [1, 4, 2, 5, 3, 6])
  }

  @Test func permuteReordersAxes() {
    let a = Tensor.arange(to: 24).reshaped(to: [2, 3, 4])
    let p = a.permuted([2, 0, 1])
    #expect(p.shape == [4, 2, 3])
    #expect(p.contiguous().scalars[0..<6] == [0, 4, 8, 12, 16, 20])
  }

  @Test func squeezeAndUnsqueeze() {
    let a = Tensor.zeros(shape: [3, 1, 2])
    #expect(a.squeezed().shape == [3, 2])
    #expect(a.squeezed().unsqueezed(at: 0).shape == [1, 3, 2])
  }

  @Test func concatenateAndStack() {
    let a = Tensor(shape: [2, 1], scalars: [1, 2]), b = Tensor(shape: [2, 2], scalars: [3, 4, 5, 6])
    #expect(Tensor.concatenate([a, b], alongAxis: 1).scalars == [1, 3, 4, 2, 5, 6])
    let stacked = Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], alongAxis: 1)
    #expect(stacked.shape == [2, 2] && stacked.scalars == [1, 3, 2, 4])
  }

  @Test func rowsGatherAndOneHot() {
    let a = Tensor.arange(to: 6).reshaped(to: [3, 2])
    #expect(a.rows(1..<3).scalars == [2, 3, 4, 5])
    #expect(a.gatheringRows([2, 0, 2]).scalars == [4, 5, 0, 1, 4, 5])
    #expect(Tensor.oneHot([2, 0], depth: 3).scalars == [0, 0, 1, 1, 0, 0])
    #expect(a.slice(alongAxis: 1, 1..<2).scalars == [1, 3, 5])
  }

  @Test func broadcastRepeatsAlongNewAxes() {
    #expect(Tensor([1, 2]).broadcast(to: [2, 2]).scalars == [1, 2, 1, 2])
  }
}
