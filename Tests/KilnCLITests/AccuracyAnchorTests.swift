import Foundation
import KilnData
import KilnMetrics
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline
import Testing

/// Trains the shipped experiments on the shipped data and checks the test-split accuracy anchors
/// of the literature (logistic regression ≈ 0.85 on Adult; German Credit ≈ 0.75).
@Suite(.serialized) struct AccuracyAnchorTests {
  /// A copy of the project's datasets, experiments and raw files in a temporary directory.
  private func project() throws -> URL {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-anchors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    for folder in ["datasets", "experiments"] {
      try FileManager.default.copyItem(at: source.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
    }
    for name in ["adult", "german"] {
      try? FileManager.default.removeItem(at: root.appendingPathComponent("datasets/\(name)/\(name).h5"))
    }
    return root
  }

  /// Trains `experiment` through the CLI and returns test-split accuracy and ROC AUC at 0.5.
  private func trainAndScore(_ experiment: String, in root: URL) throws -> (accuracy: Double, auc: Double) {
    let trained = try runKiln(["train", "experiments/\(experiment).yaml", "--quiet"], in: root)
    try #require(trained.status == 0, "\(trained.stderr)")
    let runLine = try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") })
    let runID = String(runLine.dropFirst(4).prefix { $0 != ":" })
    let model = try TrainedModel.load(runID: runID, layout: ProjectLayout(root: root))
    let dataset = try KilnDataset.open(Trainer.datasetURL(model.configuration, layout: ProjectLayout(root: root)))
    let test = try dataset.rows(split: "test")
    let scores = model.positiveProbabilities(features: test.features, rowCount: test.rowCount)
    let labels = test.labels.map(Int.init)
    let counts = ConfusionCounts(labels: labels, predictions: DecisionThreshold.predictions(scores: scores, threshold: 0.5))
    return (counts.accuracy, RankingMetrics.rocAUC(labels: labels, scores: scores))
  }

  @Test func shippedExperimentsReachTheirAccuracyAnchors() throws {
    let root = try project()
    defer { try? FileManager.default.removeItem(at: root) }
    for name in ["adult", "german"] {
      let imported = try runKiln(["dataset", "import", "datasets/\(name)/dataset.yaml"], in: root)
      try #require(imported.status == 0, "\(imported.stderr)")
    }
    let adultMLP = try trainAndScore("adult-mlp", in: root)
    #expect(adultMLP.accuracy >= 0.850, "Adult MLP test accuracy \(adultMLP.accuracy)")
    #expect(adultMLP.auc >= 0.900, "Adult MLP test ROC AUC \(adultMLP.auc)")
    let adultLogistic = try trainAndScore("adult-logreg", in: root)
    #expect(adultLogistic.accuracy >= 0.845, "Adult logistic regression test accuracy \(adultLogistic.accuracy)")
    let germanMLP = try trainAndScore("german-mlp", in: root)
    #expect(germanMLP.accuracy >= 0.74, "German MLP test accuracy \(germanMLP.accuracy)")
    print("anchors: adult-mlp accuracy \(adultMLP.accuracy) auc \(adultMLP.auc); adult-logreg accuracy \(adultLogistic.accuracy); german-mlp accuracy \(germanMLP.accuracy)")
  }
}
