import Foundation
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnTraining
@testable import KilnEvaluation

/// The fairness metrics a gate or a sweep objective names, measured on the validation split each
/// epoch as `validation.fairness.ATTR.MEASURE`, by the test evaluation's own audit.
@Suite struct ValidationFairnessTests {
  /// The mitigation tests' moons experiment with a gate on the equalized-odds difference.
  static let base = MitigationWorkflowTests.base + "gates:\n  - {metric: fairness.group.equalized_odds_difference, max: 1.0}\n"
  static let name = "validation.fairness.group.equalized_odds_difference"

  @Test func aGatedFairnessMetricIsTrackedEachEpochAndMatchesTheEvaluationOfTheValidationSplit() throws {
    let project = try TrainingProject(rows: 600)
    defer { project.remove() }
    let training = try Trainer.train(try ExperimentConfiguration.parse(Self.base, file: "moons.yaml"), layout: project.layout,
                                     options: TrainingOptions(progress: .quiet))
    let tracked = try #require(training.finalValidationMetrics[Self.name])
    // Only what is asked for: the gate's measure, not the whole audit.
    #expect(training.finalValidationMetrics.keys.filter { $0.hasPrefix("validation.fairness.") } == [Self.name])
    let evaluation = try EvaluationWorkflow.evaluate(runID: training.runID, layout: project.layout, split: "validation")
    let evaluated = try #require(evaluation.namedMetrics["fairness.group.equalized_odds_difference"]?.value)
    #expect(abs(tracked - evaluated) < 1e-12, "tracked \(tracked), evaluated \(evaluated)")
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    let history = try tracker.store.metricHistory(runID: training.runID, key: Self.name)
    #expect(history.map(\.step) == [1, 2, 3, 4])
  }

  @Test func anObjectiveAsksForItsMeasureAndGroupThresholdsApplyToTheFinalValue() throws {
    let project = try TrainingProject(rows: 1_200)
    defer { project.remove() }
    let configuration = try ExperimentConfiguration.parse(Self.base + """
      mitigation: {thresholds: {constraint: equalized_odds, sensitive: [group], fit_on: validation}}
      """, file: "moons.yaml")
    var options = TrainingOptions(progress: .quiet)
    options.validationMetrics = ["validation.roc_auc", "validation.fairness.group.demographic_parity_difference"]
    let training = try Trainer.train(configuration, layout: project.layout, options: options)
    #expect(training.finalValidationMetrics["validation.fairness.group.demographic_parity_difference"] != nil)
    let evaluation = try EvaluationWorkflow.evaluate(runID: training.runID, layout: project.layout, split: "validation")
    #expect(evaluation.mitigation != nil)
    for measure in ["equalized_odds_difference", "demographic_parity_difference"] {
      let tracked = try #require(training.finalValidationMetrics["validation.fairness.group.\(measure)"])
      let evaluated = try #require(evaluation.namedMetrics["fairness.group.\(measure)"]?.value)
      #expect(abs(tracked - evaluated) < 1e-12, "\(measure): tracked \(tracked), evaluated with the thresholds \(evaluated)")
    }
  }

  @Test func withoutAGateOrObjectiveNoFairnessIsMeasured() throws {
    let project = try TrainingProject(rows: 300)
    defer { project.remove() }
    let training = try Trainer.train(try ExperimentConfiguration.parse(MitigationWorkflowTests.base, file: "moons.yaml"), layout: project.layout,
                                     options: TrainingOptions(progress: .quiet))
    #expect(!training.finalValidationMetrics.keys.contains { $0.hasPrefix("validation.fairness.") })
  }
}
