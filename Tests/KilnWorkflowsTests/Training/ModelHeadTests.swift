import Foundation
import Testing
import KilnTraining

/// `ModelHead.predictions(fromOutputs:rowCount:)`, the one place raw outputs become scores,
/// class probabilities or values, checked by hand against its formulas.
@Suite struct ModelHeadTests {
  @Test func aBinaryHeadGivesTheSigmoidOfEachLogit() throws {
    guard case .scores(let scores) = ModelHead.binary.predictions(fromOutputs: [0, 2, -1], rowCount: 3) else {
      Issue.record("a binary head did not give scores")
      return
    }
    let expected = [0.5, 1 / (1 + exp(-2.0)), 1 / (1 + exp(1.0))]
    #expect(zip(scores, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(scores)")
  }

  @Test func aMulticlassHeadGivesEachRowsSoftmaxEvenForLargeLogits() throws {
    let head = ModelHead.multiclass(classCount: 3)
    guard case .probabilities(let rows) = head.predictions(fromOutputs: [0, 0, 0, 1, 2, 3, 1000, 1000, 0], rowCount: 3) else {
      Issue.record("a multiclass head did not give probabilities")
      return
    }
    #expect(rows.count == 3)
    #expect(rows[0].allSatisfy { abs($0 - 1.0 / 3) < 1e-12 })
    let total = exp(1.0) + exp(2.0) + exp(3.0)
    #expect(zip(rows[1], [exp(1.0) / total, exp(2.0) / total, exp(3.0) / total]).allSatisfy { abs($0 - $1) < 1e-12 }, "\(rows[1])")
    #expect(abs(rows[2][0] - 0.5) < 1e-12 && abs(rows[2][1] - 0.5) < 1e-12 && rows[2][2] < 1e-300, "\(rows[2])")
  }

  @Test func aRegressionHeadGivesValuesInTheTargetsUnits() throws {
    let head = ModelHead.regression(mean: 40, scale: 12)
    guard case .values(let values) = head.predictions(fromOutputs: [0, 1, -0.5], rowCount: 3) else {
      Issue.record("a regression head did not give values")
      return
    }
    #expect(values == [40, 52, 34])
  }
}
