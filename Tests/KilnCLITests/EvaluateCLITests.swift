import Foundation
import KilnTracking
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline
import Testing

/// A temporary project with a synthetic dataset and a trained run, driven through the CLI.
private struct EvaluationProject {
  let root: URL
  let runID: String

  init(sensitive: String = "[group]") throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-evaluate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    try SyntheticTask.write(to: root.appendingPathComponent("datasets/moons.h5"), rows: 800)
    try """
      name: moons
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [16], activation: relu}
      training: {epochs: 2, batch_size: 32, seed: 5, optimizer: {kind: adam, lr: 1.0e-2}}
      evaluation:
        sensitive: \(sensitive)
        bootstrap: {resamples: 50}
        robustness: {gaussian_noise: [0.1], fgsm: [0.05], pgd: {epsilons: [0.05], steps: 3}}
      """.write(to: root.appendingPathComponent("experiments/moons.yaml"), atomically: true, encoding: .utf8)
    let trained = try runKiln(["train", "experiments/moons.yaml", "--quiet"], in: root)
    guard trained.status == 0, let line = trained.stdout.split(separator: "\n").first(where: { $0.hasPrefix("run ") }) else {
      throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "training failed: \(trained.stderr)"])
    }
    runID = String(line.dropFirst(4).prefix { $0 != ":" })
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite struct EvaluateCLITests {
  @Test func evaluatingARunPrintsASummaryLogsMetricsAndStoresEvaluationJSON() throws {
    let project = try EvaluationProject()
    defer { project.remove() }
    let summary = try runKiln(["evaluate", "--run", String(project.runID.prefix(8))], in: project.root)
    #expect(summary.status == 0, "\(summary.stderr)")
    #expect(summary.stdout.contains("test.accuracy"))
    #expect(summary.stdout.contains("fairness.group.demographic_parity_difference"))
    #expect(summary.stdout.contains("fgsm_0.05") && summary.stdout.contains("pgd_0.05"))

    let json = try runKiln(["evaluate", "--run", project.runID, "--json"], in: project.root)
    #expect(json.status == 0, "\(json.stderr)")
    // --json prints the stored evaluation's values in snake_case (the stored file keeps its own keys).
    let printed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let printedMetrics = try #require(printed["metrics"] as? [String: [String: Any]])
    let stored = try EvaluationWorkflow.storedEvaluation(runID: project.runID, layout: ProjectLayout(root: project.root))
    #expect(Set(stored.namedMetrics.keys) == Set(printedMetrics.keys))
    let tracker = try Tracker(layout: ProjectLayout(root: project.root), mustExist: true)
    let logged = try tracker.store.latestMetrics(runID: project.runID)
    let printedAccuracy = try #require(printedMetrics["test.accuracy"]?["value"] as? Double)
    #expect(abs((logged["test.accuracy"]?.value ?? -1) - printedAccuracy) < 1e-12)
    #expect(logged["robustness.gaussian_noise_0.1.accuracy"] != nil)
  }

  @Test func aBinaryRunPromotedAfterKilnEvaluateGetsItsCardFromEvaluationJSON() throws {
    let project = try EvaluationProject()
    defer { project.remove() }
    #expect(try runKiln(["evaluate", "--run", project.runID], in: project.root).status == 0)
    let promoted = try runKiln(["promote", project.runID, "--model", "moons", "--force", "--reason", "card test"], in: project.root)
    #expect(promoted.status == 0, "\(promoted.stderr)")
    let card = project.root.appendingPathComponent("reports/moons/v1/model-card.md")
    let markdown = try String(contentsOf: card, encoding: .utf8)
    // The group table, the confusion matrix and the robustness curves come from evaluation.json, as for the other kinds.
    #expect(markdown.contains("selection_rate") && markdown.contains("group"), "\(markdown)")
    #expect(markdown.contains("percentile bootstrap over 50 resamples"), "\(markdown)")
    let validation = try runValidator([project.root.appendingPathComponent("reports/moons/v1/model-card.json")])
    #expect(validation.status == 0, "\(validation.output)")
  }

  @Test func anUnknownRunIsNamedAndRunsListIsSuggested() throws {
    let project = try EvaluationProject()
    defer { project.remove() }
    let result = try runKiln(["evaluate", "--run", "deadbeef"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("deadbeef") && result.stderr.contains("kiln runs list"))
  }

  @Test func aRunWithoutCheckpointIsReported() throws {
    let project = try EvaluationProject()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.root.appendingPathComponent(".kiln/runs/\(project.runID)/checkpoints/final.h5"))
    let result = try runKiln(["evaluate", "--run", project.runID], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("no final checkpoint"))
  }

  @Test func aDatasetChangedSinceTrainingIsRefusedWithItsFingerprint() throws {
    let project = try EvaluationProject()
    defer { project.remove() }
    try SyntheticTask.write(to: project.root.appendingPathComponent("datasets/moons.h5"), rows: 800, seed: 99)
    let result = try runKiln(["evaluate", "--run", project.runID], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("fingerprint") && result.stderr.contains("trained on"))
  }

  @Test func aSensitiveAttributeTheDatasetLacksIsNamed() throws {
    let project = try EvaluationProject(sensitive: "[group, race]")
    defer { project.remove() }
    let result = try runKiln(["evaluate", "--run", project.runID], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("'race'") && result.stderr.contains("use one of: group"))
  }
}
