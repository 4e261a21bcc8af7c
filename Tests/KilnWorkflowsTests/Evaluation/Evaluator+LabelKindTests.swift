import Foundation
import KilnData
import KilnMetrics
import KilnReport
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

/// A throwaway project with a small generated multiclass or regression dataset and one trained run.
private struct EvaluatedKindProject {
  let layout: ProjectLayout
  let runID: String

  init(kind: LabelKind) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-eval-kinds-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    layout = ProjectLayout(root: root)
    let url = root.appendingPathComponent("datasets/task.h5")
    try SyntheticTask.write(to: url, kind: kind, rows: 600)
    let configuration = try ExperimentConfiguration.parse("""
      name: kinds
      dataset: datasets/task.h5
      model: {kind: mlp, hidden: [16], activation: relu}
      training: {epochs: 8, batch_size: 32, seed: 3, optimizer: {kind: adam, lr: 1.0e-2}}
      evaluation:
        sensitive: [group]
        bootstrap: {resamples: 60}
        robustness: {gaussian_noise: [0.5], missing_features: [0.5], fgsm: [0.1], pgd: {epsilons: [0.1], steps: 3}, subgroup_shift: [0.5]}
      """, file: "kinds.yaml")
    runID = try Trainer.train(configuration, layout: layout, options: TrainingOptions(progress: .quiet)).runID
  }

  func remove() { try? FileManager.default.removeItem(at: layout.root) }
}

@Suite struct EvaluatorLabelKindTests {
  @Test func regressionEvaluationLogsErrorMetricsGroupDisparitiesAndRobustnessWithIntervals() throws {
    let project = try EvaluatedKindProject(kind: .regression)
    defer { project.remove() }
    let result = try EvaluationWorkflow.evaluate(runID: project.runID, layout: project.layout)
    #expect(result.kind == .regression && result.performance == nil && result.threshold == nil)
    let metrics = result.namedMetrics
    for name in ["test.rmse", "test.mae", "test.r2", "test.mse", "test.explained_variance", "test.median_absolute_error"] {
      let estimate = try #require(metrics[name], "missing \(name)")
      let interval = try #require(estimate.interval, "\(name) has no interval")
      #expect(interval.lower <= estimate.value && estimate.value <= interval.upper, "\(name) \(estimate.value) outside \(interval)")
    }
    #expect(try #require(metrics["test.r2"]).value > 0.5)
    for name in ["fairness.group.mae_difference", "fairness.group.mae_ratio", "fairness.group.rmse_difference",
                 "fairness.group.mean_prediction_difference"] {
      #expect(metrics[name]?.interval != nil, "missing \(name) or its interval")
    }
    // Noise on the inputs makes the errors larger: the RMSE increase is positive.
    #expect(try #require(metrics["robustness.gaussian_noise_0.5.rmse_increase"]).value > 0)
    #expect(metrics["robustness.missing_features_0.5.rmse"] != nil)
    // Attacks maximise the squared error: the RMSE grows, and PGD (3 steps) at least as much as FGSM roughly.
    let fgsm = try #require(metrics["robustness.fgsm_0.1.rmse_increase"]).value
    let pgd = try #require(metrics["robustness.pgd_0.1.rmse_increase"]).value
    #expect(fgsm > 0 && pgd > 0, "fgsm \(fgsm), pgd \(pgd)")
    // Subgroup shift re-weights the rows for every measure: a regressor's RMSE with the mix moved halfway to group a.
    #expect(metrics["robustness.subgroup_shift_0.5.group.a.rmse"]?.isDefined == true)
    #expect(metrics["robustness.subgroup_shift_0.5.group.a.group.rmse_increase_gap"] != nil)
    #expect(result.robustness?.metric == "rmse" && result.robustness?.threshold == nil)
    let logged = try Tracker(layout: project.layout).store.latestMetrics(runID: project.runID)
    #expect(logged["test.rmse"]?.value == metrics["test.rmse"]?.value)
    let stored = try EvaluationWorkflow.storedEvaluation(runID: project.runID, layout: project.layout)
    #expect(stored == result)
    let summary = result.text()
    #expect(summary.contains("test.rmse") && summary.contains("fairness.group.mae_difference") && summary.contains("rmse_increase"))
  }

  @Test func multiclassEvaluationLogsClassMetricsConfusionMatrixAndGroupDisparities() throws {
    let project = try EvaluatedKindProject(kind: .multiclass)
    defer { project.remove() }
    let result = try EvaluationWorkflow.evaluate(runID: project.runID, layout: project.layout)
    let report = try #require(result.multiclass)
    #expect(report.classNames == ["a", "b", "c"])
    #expect(report.confusionMatrix.flatMap { $0 }.reduce(0, +) == result.rowCount)
    let metrics = result.namedMetrics
    for name in ["test.accuracy", "test.balanced_accuracy", "test.macro_f1", "test.weighted_f1", "test.log_loss", "test.roc_auc_ovr"] {
      #expect(metrics[name]?.interval != nil, "missing \(name) or its interval")
    }
    #expect(try #require(metrics["test.accuracy"]).value > 0.7)
    for name in ["fairness.group.accuracy_difference", "fairness.group.accuracy_ratio", "fairness.group.macro_f1_difference"] {
      #expect(metrics[name]?.interval != nil, "missing \(name) or its interval")
    }
    #expect(metrics["robustness.gaussian_noise_0.5.accuracy_drop"] != nil)
    // Attacks maximise the cross-entropy: accuracy cannot rise much above clean.
    #expect(try #require(metrics["robustness.pgd_0.1.accuracy_drop"]).value > 0)
    #expect(result.text().contains("confusion matrix"))
  }

  @Test func aGateOnAMetricTheKindDoesNotHaveFailsClosedListingTheComputedOnes() throws {
    var generator = SystemRandomNumberGenerator()
    let regression = RegressionReport(targets: [1, 2, 3, 4], predictions: [1.1, 2.2, 2.7, 4.1], using: &generator).namedMetrics(split: "test")
    let multiclass = MulticlassClassificationReport(labels: [0, 1, 2, 1], classProbabilities: [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]],
                                                    classNames: ["a", "b", "c"], using: &generator).namedMetrics(split: "test")
    let evaluator = GateEvaluator()
    let onRegression = evaluator.decide(gates: [Gate(metric: "test.accuracy", threshold: .atLeast(0.8))], candidate: regression, champion: nil)
    #expect(onRegression.verdict == .reject)
    let reason = onRegression.results[0].reason
    #expect(reason.contains("test.accuracy") && reason.contains("available:") && reason.contains("test.rmse") && reason.contains("test.r2"), "\(reason)")
    let onMulticlass = evaluator.decide(gates: [Gate(metric: "test.rmse", threshold: .atMost(1))], candidate: multiclass, champion: nil)
    #expect(onMulticlass.verdict == .reject)
    #expect(onMulticlass.results[0].reason.contains("test.macro_f1") && onMulticlass.results[0].reason.contains("test.log_loss"))
    // A binary fairness measure on a regression model lists that attribute's regression disparities.
    let audit = try FairnessAudit.regression(targets: [1, 2, 3, 4, 5, 6], predictions: [1, 2.5, 3, 4.5, 5, 6.5],
      attributes: [SensitiveAttribute(name: "sex", values: ["F", "M", "F", "M", "F", "M"]),
                   SensitiveAttribute(name: "race", values: ["a", "a", "b", "b", "c", "c"])],
      configuration: FairnessAudit.Configuration(intersections: [["sex", "race"]], bootstrap: nil), using: &generator)
    let fairness = evaluator.decide(gates: [Gate(metric: "fairness.sex.demographic_parity_difference", threshold: .atMost(0.1))],
                                    candidate: regression.merging(audit.namedMetrics()) { first, _ in first }, champion: nil)
    let fairnessReason = fairness.results[0].reason
    #expect(fairness.verdict == .reject)
    #expect(fairnessReason.contains("fairness.sex.mae_difference") && fairnessReason.contains("fairness.sex.mean_prediction_difference"), "\(fairnessReason)")
    #expect(!fairnessReason.contains("fairness.race."), "\(fairnessReason)")
  }
}
