import KilnTensor
import Testing

@Suite struct TensorReductionTests {
  let matrix = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])

  @Test func sumAlongEachAxis() {
    #expect(matrix.sum(alongAxes: [0]).scalars == [5, 7, 9])
    #expect(matrix.sum(alongAxes: [1], keepingDimensions: true).shape == [2, 1])
    #expect(matrix.sum(alongAxes: [-1]).scalars == [9, 12])
    #expect(matrix.sum().scalar == 21)
  }

  @Test func meanVarianceMaxMinArgmax() {
    #expect(matrix.mean(alongAxes: [1]).scalars == [3, 4])
    let variance = matrix.variance(alongAxes: [1]).scalars
    #expect(Swift.abs(variance[0] - 8.0 / 3) < 1e-6 && Swift.abs(variance[1] - 8.0 / 3) < 1e-6)
    #expect(matrix.max(alongAxes: [0]).scalars == [4, 5, 6])
    #expect(matrix.min(alongAxes: [1]).scalars == [1, 2])
    #expect(matrix.argmax(alongAxis: 1).scalars == [1, 2])
  }

  @Test func logSumExpDoesNotOverflow() {
    let value = Tensor([1000, 1000]).logSumExp().scalar
    #expect(Swift.abs(value - (1000 + 0.6931472)) < 1e-3)
  }

  @Test func softmaxRowsSumToOneAndLogSoftmaxAgrees() {
    let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 0, -1000])
    let probabilities = logits.softmax()
    for total in probabilities.sum(alongAxes: [1]).scalars { #expect(Swift.abs(total - 1) < 1e-6) }
    let logs = logits.logSoftmax().scalars
    #expect(Swift.abs(logs[0] - (-2.4076059)) < 1e-5)
    #expect(logs[3] == 0 && logs[4] == -1000)
  }

  @Test func summedToShapeInvertsBroadcasting() {
    let gradient = Tensor.ones(shape: [4, 2, 3])
    #expect(gradient.summed(toShape: [3]).scalars == [8, 8, 8])
    #expect(gradient.summed(toShape: [2, 1]).scalars == [12, 12])
  }
}
