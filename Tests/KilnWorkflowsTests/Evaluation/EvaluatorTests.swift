import Foundation
import KilnData
import KilnMetrics
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct EvaluatorTests {
  @Test func computesPerformanceFairnessAndRobustnessUnderTheNamesGatesUse() throws {
    let fixture = try EvaluationFixture()
    defer { fixture.remove() }
    let dataset = try KilnDataset.open(fixture.datasetURL)
    let result = try Evaluator(configuration: EvaluationFixture.fullEvaluation, seed: 3).evaluate(fixture.model, on: dataset)
    let metrics = result.namedMetrics
    let accuracy = try #require(metrics["test.accuracy"])
    #expect(accuracy.value > 0.75)
    let interval = try #require(accuracy.interval)
    #expect(interval.lower <= accuracy.value && accuracy.value <= interval.upper && interval.resamples == 200)
    #expect(metrics["test.roc_auc"]?.isDefined == true)
    #expect(metrics["test.threshold"]?.value == 0.5)
    #expect(metrics["fairness.sex.demographic_parity_difference"]?.interval != nil)
    #expect(metrics["robustness.gaussian_noise_0.1.accuracy"] != nil)
    #expect(metrics["robustness.missing_features_0.2.accuracy_drop"] != nil)
    #expect(metrics["robustness.category_corruption_0.2.groups.sex.F.accuracy_drop"] != nil)
    #expect(metrics["robustness.subgroup_shift_0.5.sex.F.accuracy"] != nil)
    #expect(metrics["robustness.fgsm_0.05.accuracy"] != nil && metrics["robustness.fgsm_0.05.empirical_robustness"] != nil)
    #expect(metrics["robustness.pgd_0.05.accuracy"] != nil)
    #expect(abs(metrics["robustness.clean.accuracy"]!.value - accuracy.value) < 1e-12)
    #expect(result.rowCount == 200 && result.datasetFingerprint == fixture.fingerprint)
  }

  @Test func evaluationJSONDecodesBackToTheSameNamedMetrics() throws {
    let fixture = try EvaluationFixture()
    defer { fixture.remove() }
    let dataset = try KilnDataset.open(fixture.datasetURL)
    let result = try Evaluator(configuration: EvaluationFixture.fullEvaluation, seed: 3).evaluate(fixture.model, on: dataset)
    let data = try result.storedData()
    #expect(try EvaluationResult.decode(data) == result)
    #expect(try EvaluationResult.namedMetrics(fromJSON: data) == result.namedMetrics)
  }

  @Test func aThresholdChosenOnValidationIsTheBestF1ThresholdThereAndIsReported() throws {
    let fixture = try EvaluationFixture()
    defer { fixture.remove() }
    let dataset = try KilnDataset.open(fixture.datasetURL)
    let configuration = EvaluationConfiguration(thresholdSelection: .f1, bootstrap: .init(resamples: 10))
    let result = try Evaluator(configuration: configuration, seed: 3).evaluate(fixture.model, on: dataset)
    let validation = try dataset.rows(split: "validation")
    let scores = fixture.model.positiveProbabilities(features: validation.features, rowCount: validation.rowCount)
    let expected = DecisionThreshold.choose(labels: validation.labels.map(Int.init), scores: scores, maximizing: .f1)
    #expect(result.threshold == expected)
    #expect(result.namedMetrics["test.threshold"]?.value == expected.threshold)
  }

  @Test func aSensitiveAttributeTheDatasetLacksIsAnErrorNamingIt() throws {
    let fixture = try EvaluationFixture(rowCount: 60)
    defer { fixture.remove() }
    let dataset = try KilnDataset.open(fixture.datasetURL)
    #expect {
      _ = try Evaluator(configuration: EvaluationConfiguration(sensitive: ["sex", "race"]), seed: 1).evaluate(fixture.model, on: dataset)
    } throws: { error in
      (error as? EvaluationError)?.kind == .unknownSensitiveAttribute && "\(error)".contains("'race'") && "\(error)".contains("sex")
    }
  }

  @Test func aDatasetWithAnotherFingerprintIsRefused() throws {
    let fixture = try EvaluationFixture(rowCount: 60)
    defer { fixture.remove() }
    let dataset = try KilnDataset.open(fixture.datasetURL)
    #expect {
      _ = try Evaluator(configuration: nil, seed: 1).evaluate(fixture.model, on: dataset, expectedFingerprint: "0123456789abcdef")
    } throws: { error in
      (error as? EvaluationError)?.kind == .fingerprintMismatch && "\(error)".contains("0123456789ab")
    }
  }
}
