import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct RobustnessConfigurationTests {
  static func text(_ robustness: String) -> String {
    """
    name: toy
    dataset: datasets/toy.h5
    model: {kind: mlp, hidden: [8]}
    training: {epochs: 1, batch_size: 8, seed: 1, optimizer: {kind: adam, lr: 0.01}}
    evaluation:
      sensitive: [sex]
      robustness: \(robustness)
    """
  }

  @Test func everyRobustnessKeyDecodes() throws {
    let configuration = try ExperimentConfiguration.parse(Self.text("""
      {gaussian_noise: [0.1], missing_features: [0.2], category_corruption: [0.3], subgroup_shift: [0.5], fgsm: [0.05], pgd: {epsilons: [0.05], steps: 10, step_size: 0.01, random_start: false}, immutable: [age]}
      """), file: "x.yaml")
    let robustness = try #require(configuration.evaluation?.robustness)
    #expect(robustness.subgroupShift == [0.5] && robustness.categoryCorruption == [0.3])
    #expect(robustness.pgd == PGDConfiguration(epsilons: [0.05], steps: 10, stepSize: 0.01, randomStart: false))
  }

  @Test func outOfRangeRobustnessLevelsAreErrorsNamingTheKey() {
    #expect {
      _ = try ExperimentConfiguration.parse(Self.text("{missing_features: [1.5], fgsm: [-0.1], pgd: {epsilons: [0.1], steps: 0}}"), file: "x.yaml")
    } throws: { error in
      let keys = (error as? ConfigurationError)?.problems.map(\.keyPath) ?? []
      return keys.contains("evaluation.robustness.missing_features[0]") && keys.contains("evaluation.robustness.fgsm[0]")
        && keys.contains("evaluation.robustness.pgd.steps")
    }
  }
}
