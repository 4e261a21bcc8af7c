import Foundation
import KilnMetricDirection
import KilnData
import KilnMetrics
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

/// A throwaway project with a generated multiclass or regression dataset.
private struct LabelKindProject {
  let layout: ProjectLayout

  init(kind: LabelKind, rows: Int = 1_200) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-kinds-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    layout = ProjectLayout(root: root)
    let url = root.appendingPathComponent("datasets/task.h5")
    try SyntheticTask.write(to: url, kind: kind, rows: rows)
  }

  func configuration(_ overrides: [String] = []) throws -> ExperimentConfiguration {
    try ExperimentConfiguration.parse("""
      name: kinds
      dataset: datasets/task.h5
      model: {kind: mlp, hidden: [16, 16], activation: relu}
      training: {epochs: 12, batch_size: 32, seed: 3, optimizer: {kind: adam, lr: 1.0e-2}}
      """, file: "kinds.yaml", overrides: overrides)
  }

  func test() throws -> Batch { try KilnDataset.open(layout.root.appendingPathComponent("datasets/task.h5")).rows(split: "test") }

  func remove() { try? FileManager.default.removeItem(at: layout.root) }
}

/// Stops training by throwing once a given global step has been taken (a crash after a checkpoint).
private final class CrashAfterStep: TrainingCallback {
  struct Crash: Error {}
  let step: Int
  init(step: Int) { self.step = step }
  func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    if case .batchEnded(let summary) = event, summary.globalStep == step { throw Crash() }
    return .proceed
  }
}

@Suite struct TrainerLabelKindTests {
  @Test func regressionHeadLearnsAndReportsRawUnitMetrics() throws {
    let project = try LabelKindProject(kind: .regression)
    defer { project.remove() }
    let result = try Trainer.train(try project.configuration(), layout: project.layout, options: TrainingOptions(progress: .quiet))
    let metrics = result.finalValidationMetrics
    #expect(Set(metrics.keys) == ["validation.loss", "validation.rmse", "validation.mae", "validation.r2"])
    // The target's standard deviation is about 12; a model that learned it is far below.
    #expect(try #require(metrics["validation.rmse"]) < 3.5, "\(metrics)")
    #expect(try #require(metrics["validation.r2"]) > 0.9, "\(metrics)")
    #expect(abs(metrics["validation.loss"]! - metrics["validation.rmse"]! * metrics["validation.rmse"]!) < 1e-9)

    let checkpoint = try Checkpoint.read(from: result.checkpoint)
    guard case .regression(let mean, let scale) = try #require(checkpoint.head) else {
      Issue.record("expected a regression head, got \(String(describing: checkpoint.head))")
      return
    }
    #expect(abs(mean - 40) < 1.5 && abs(scale - 12.2) < 1.5, "train mean \(mean), scale \(scale)")
    let model = try TrainedModel.load(checkpoint: result.checkpoint)
    #expect(model.labelKind == .regression && model.classCount == 0)
    let test = try project.test()
    let predictions = model.regressionPredictions(features: test.features, rowCount: test.rowCount)
    let squared = zip(predictions, test.targets).map { ($0 - Double($1)) * ($0 - Double($1)) }
    let rmse = (squared.reduce(0, +) / Double(squared.count)).squareRoot()
    #expect(rmse < 3.5, "test RMSE \(rmse) in raw units")
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    #expect(try tracker.metricHistory(runID: result.runID, key: "validation.rmse").count == 12)
  }

  @Test func multiclassHeadLearnsThreeBlobs() throws {
    let project = try LabelKindProject(kind: .multiclass)
    defer { project.remove() }
    let result = try Trainer.train(try project.configuration(), layout: project.layout, options: TrainingOptions(progress: .quiet))
    let metrics = result.finalValidationMetrics
    #expect(Set(metrics.keys) == ["validation.loss", "validation.accuracy", "validation.macro_f1"])
    #expect(try #require(metrics["validation.accuracy"]) >= 0.85, "\(metrics)")
    #expect(try #require(metrics["validation.macro_f1"]) >= 0.85, "\(metrics)")
    let model = try TrainedModel.load(checkpoint: result.checkpoint)
    #expect(model.labelKind == .multiclass && model.classCount == 3)
    let test = try project.test()
    let probabilities = model.classProbabilities(features: test.features, rowCount: test.rowCount)
    #expect(probabilities.allSatisfy { $0.count == 3 && abs($0.reduce(0, +) - 1) < 1e-9 })
    let predicted = probabilities.map { $0.firstIndex(of: $0.max()!)! }
    let accuracy = Double(zip(predicted, test.labels).filter { $0 == Int($1) }.count) / Double(test.rowCount)
    #expect(accuracy >= 0.85, "test accuracy \(accuracy)")
  }

  @Test func aRegressionRunResumedAfterACrashEndsWithTheSameWeights() throws {
    let project = try LabelKindProject(kind: .regression, rows: 300)
    defer { project.remove() }
    let configuration = try project.configuration(["training.epochs=2", "training.checkpoint_every_steps=1", "model.dropout=0.1"])
    let uninterrupted = try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    #expect(throws: CrashAfterStep.Crash.self) {
      try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet, extraCallbacks: [CrashAfterStep(step: 9)]))
    }
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    let crashed = try #require(try tracker.runs().first { $0.status == .failed })
    let resumed = try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(resumeRunID: crashed.id, progress: .quiet))
    #expect(resumed.model.flattenedParameters().scalars == uninterrupted.model.flattenedParameters().scalars)
    #expect(resumed.finalValidationMetrics == uninterrupted.finalValidationMetrics)
  }

  @Test func divergenceGuardStopsARegressionRun() throws {
    let project = try LabelKindProject(kind: .regression, rows: 200)
    defer { project.remove() }
    let configuration = try project.configuration(["training.optimizer={kind: sgd, lr: 1.0e+30}"])
    #expect {
      try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    } throws: { error in
      (error as? TrainingError)?.code == .diverged
    }
  }

  @Test func aSelectionMetricTheHeadDoesNotComputeIsRejectedBeforeTraining() throws {
    let project = try LabelKindProject(kind: .regression, rows: 100)
    defer { project.remove() }
    let configuration = try project.configuration(["training.selection_metric=validation.roc_auc"])
    #expect {
      try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    } throws: { error in
      (error as? TrainingError)?.code == .configuration && "\(error)".contains("training.selection_metric is `validation.roc_auc`")
        && "\(error)".contains("validation.rmse")
    }
    #expect(!FileManager.default.fileExists(atPath: project.layout.storeDirectory.appendingPathComponent("runs").path))
  }

  @Test func everyValidationMetricHasADirection() {
    for head in [ModelHead.binary, .multiclass(classCount: 3), .regression(mean: 0, scale: 1)] {
      for metric in ValidationMetrics.names(for: head) { #expect(MetricDirection(forMetric: metric) != nil, "\(metric)") }
    }
    #expect(ValidationMetrics.defaultSelection(for: .binary) == "validation.roc_auc")
    #expect(ValidationMetrics.defaultSelection(for: .multiclass(classCount: 4)) == "validation.accuracy")
    #expect(ValidationMetrics.defaultSelection(for: .regression(mean: 0, scale: 1)) == "validation.rmse")
  }

  @Test func macroF1AveragesThePresentClasses() {
    // Class 0: TP 1, FP 1, FN 1 → 0.5; class 1: TP 1, FP 0, FN 1 → 2/3; class 2: TP 1, FP 1, FN 0 → 2/3; class 3 absent.
    let f1 = MulticlassMetrics.f1(labels: [0, 0, 1, 1, 2], predicted: [0, 2, 1, 0, 2], classCount: 4, average: .macro)
    #expect(abs(f1 - (0.5 + 2.0 / 3 + 2.0 / 3) / 3) < 1e-12)
  }

  @Test func validationMetricsOfAPerfectRegressionAreExact() {
    let metrics = ValidationMetrics.regression(targets: [1, 2, 3], predictions: [1, 2, 3])
    #expect(metrics == ["validation.loss": 0, "validation.rmse": 0, "validation.mae": 0, "validation.r2": 1])
  }
}
