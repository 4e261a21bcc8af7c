import Foundation
import Testing
@testable import KilnSweep

@Suite struct ParameterImportanceTests {
  @Test func parameterThatDrivesTheObjectiveRanksFirst() throws {
    let study = Study(sampler: RandomSampler(), seed: 13)
    try study.optimize(trials: 200) { trial in
      let strong = trial.suggestFloat("strong", in: 0...1)
      let weak = trial.suggestFloat("weak", in: 0...1)
      let noise = trial.suggestCategorical("noise", ["a", "b", "c"])
      _ = noise
      return 10 * strong * strong + 3 * weak
    }
    let importance = try study.parameterImportance()
    #expect(importance.map(\.name) == ["strong", "weak", "noise"])
    #expect(importance[0].share > 0.8)
    #expect(abs(importance.reduce(0) { $0 + $1.share } - 1) < 1e-12)
    #expect(importance[2].explainedVariance < 0.05)
    #expect(importance.allSatisfy { $0.trialCount == 200 })
  }

  @Test func correlationRatioOfAPerfectStepFunctionIsOne() {
    let samples = (0..<20).map { index in (coordinate: Double(index % 2), value: Double(index % 2) * 3) }
    let ratio = ParameterImportance.adjustedCorrelationRatio(samples, categorical: true, binCount: 10)
    #expect(abs(ratio - 1) < 1e-12)
    let constant = (0..<20).map { index in (coordinate: 1.0, value: Double(index)) }
    #expect(ParameterImportance.adjustedCorrelationRatio(constant, categorical: false, binCount: 10) == 0)
  }
}
