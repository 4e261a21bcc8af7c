import Foundation
import KilnData
import KilnNN
import KilnMetrics
import Testing
@testable import KilnRobustness

@Suite struct RobustnessSuiteTests {
  let fixture = try! RobustnessFixture(rowCount: 300)

  func suite(_ model: MLP) -> RobustnessSuite<MLP> {
    RobustnessSuite(model: model, layout: fixture.layout, features: fixture.encoded.features, rowCount: fixture.encoded.rowCount,
                    labels: fixture.labels, groups: fixture.groups)
  }

  @Test func empiricalRobustnessIsTheMeanRelativeLInfinityPerturbationOverChangedRows() {
    let clean: [Float] = [1, -2, 0.5, 4, 0, 1]
    let adversarial: [Float] = [1.1, -2, 0.5, 3.5, 0.2, 1]
    // Row 0: 0.1 / 2; row 1: 0.5 / 4; row 2 unchanged in prediction, left out.
    let value = RobustnessSuite<MLP>.empiricalRobustness(clean: clean + [3, 3], adversarial: adversarial + [9, 9], width: 2,
                                                         changedRows: [0, 1])
    #expect(abs(value - (0.05 + 0.125) / 2) < 1e-7)
    #expect(RobustnessSuite<MLP>.empiricalRobustness(clean: clean, adversarial: adversarial, width: 2, changedRows: []) == 0)
  }

  @Test func subgroupShiftWeightsMoveTheMixTowardsTheTargetGroup() {
    let codes: [Int32] = [0, 0, 0, 1, -1]
    let weights = RobustnessSuite<MLP>.shiftWeights(codes: codes, towards: 1, strength: 0.5)
    let total = weights.reduce(0, +)
    #expect(abs(total - 5) < 1e-12)
    #expect(abs(weights[3] / total - (0.5 * 0.2 + 0.5)) < 1e-12)
    #expect(abs((weights[0] + weights[1] + weights[2]) / total - 0.5 * 0.6) < 1e-12)
  }

  @Test func aFullShiftGivesTheTargetGroupsAccuracy() throws {
    let report = suite(try fixture.trainedModel(steps: 60)).run(RobustnessPlan(subgroupShift: [1]))
    let female = try #require(report.outcomes.first { $0.name == "subgroup_shift_1.0.sex.F" })
    let group = try #require(female.groups.first { $0.group == "F" })
    #expect(abs(female.value - group.clean) < 1e-12)
  }

  @Test func reportsEveryPerturbationWithItsDropAndPerGroupDrops() throws {
    let plan = RobustnessPlan(gaussianNoise: [0, 0.5], missingFeatures: [0.3], categoryCorruption: [0.3], subgroupShift: [0.5],
                              fgsm: [0.1], pgd: .init(epsilons: [0.1], steps: 5), minimumGroupSize: 150, seed: 5)
    let report = suite(try fixture.trainedModel()).run(plan)
    #expect(report.metric == "accuracy" && report.worsening == "accuracy_drop" && report.threshold == 0.5)
    #expect(report.outcomes.map(\.name) == [
      "gaussian_noise_0.0", "gaussian_noise_0.5", "missing_features_0.3", "category_corruption_0.3",
      "subgroup_shift_0.5.sex.F", "subgroup_shift_0.5.sex.M", "fgsm_0.1", "pgd_0.1",
    ])
    let noiseless = report.outcomes[0]
    #expect(noiseless.worsening == 0 && noiseless.groups.allSatisfy { $0.worsening == 0 })
    for outcome in report.outcomes {
      #expect(abs(outcome.worsening - (report.clean - outcome.value)) < 1e-12)
      for group in outcome.groups { #expect(abs(group.worsening - (group.clean - group.value)) < 1e-12) }
    }
    let fgsm = report.outcomes[6]
    #expect(fgsm.empiricalRobustness.map { $0 > 0 } == true)
    let named = report.namedMetrics()
    #expect(named["robustness.fgsm_0.1.accuracy"]?.value == fgsm.value)
    #expect(named["robustness.gaussian_noise_0.5.accuracy_drop"] != nil)
    #expect(named["robustness.pgd_0.1.groups.sex.M.accuracy_drop"]?.isDefined == true)
    let smallGroup = try #require(fgsm.groups.first { $0.group == "F" })
    #expect(smallGroup.count < 150)
    #expect(named["robustness.fgsm_0.1.groups.sex.F.accuracy_drop"]?.undefined == .insufficientData)
    #expect(named["robustness.fgsm_0.1.sex.accuracy_drop_gap"]?.value == 0)
  }

  @Test func theReportIsReproducibleAndRoundTripsThroughJSON() throws {
    let model = try fixture.trainedModel(steps: 40)
    let plan = RobustnessPlan(gaussianNoise: [0.2], categoryCorruption: [0.2], pgd: .init(epsilons: [0.2], steps: 3), seed: 8)
    let first = suite(model).run(plan)
    #expect(first == suite(model).run(plan))
    let decoded = try JSONDecoder().decode(RobustnessReport.self, from: JSONEncoder().encode(first))
    #expect(decoded == first)
  }
}
