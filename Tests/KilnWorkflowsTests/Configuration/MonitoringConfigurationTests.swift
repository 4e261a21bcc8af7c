import Foundation
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

private let base = """
name: toy
dataset: datasets/toy/toy.h5
model: {kind: logistic_regression}
training: {epochs: 1, batch_size: 8, seed: 1, optimizer: {kind: sgd, lr: 0.1}}
"""

private func problems(_ text: String) -> [ConfigurationError.Problem] {
  configurationProblems(text, file: "experiments/toy.yaml")
}

@Suite struct MonitoringConfigurationTests {
  @Test func theMonitoringBlockDecodesIntoDriftThresholds() throws {
    let configuration = try ExperimentConfiguration.parse(
      base + "\nmonitoring: {psi_threshold: 0.1, p_value: 0.05, score_psi_threshold: 0.3, bins: 20, min_group_size: 100}",
      file: "experiments/toy.yaml")
    let thresholds = try #require(configuration.monitoring).thresholds
    #expect(thresholds.psiThreshold == 0.1 && thresholds.pValue == 0.05 && thresholds.scorePSIThreshold == 0.3)
    #expect(thresholds.bins == 20 && thresholds.minGroupSize == 100)
  }

  @Test func missingKeysTakeTheDefaults() throws {
    let configuration = try ExperimentConfiguration.parse(base + "\nmonitoring: {p_value: 0.05}", file: "experiments/toy.yaml")
    let thresholds = try #require(configuration.monitoring).thresholds
    #expect(thresholds.psiThreshold == 0.2 && thresholds.scorePSIThreshold == 0.2 && thresholds.bins == 10)
  }

  @Test func anUnknownMonitoringKeyIsNamedWithTheNearestValidKey() {
    let found = problems(base + "\nmonitoring: {psi_treshold: 0.2}")
    #expect(found.first?.keyPath == "monitoring.psi_treshold")
    #expect(found.first?.hint == "did you mean `psi_threshold`?")
  }

  @Test func outOfRangeThresholdsAreRejectedWithTheirKeys() {
    let found = problems(base + "\nmonitoring: {psi_threshold: -1, p_value: 0, bins: 1, min_group_size: 0}")
    #expect(Set(found.map(\.keyPath)) == ["monitoring.psi_threshold", "monitoring.p_value", "monitoring.bins", "monitoring.min_group_size"])
  }
}
