import Foundation
import Testing

/// A project over a small dataset from `kiln dataset synthesize --kind KIND`, with an experiment
/// whose sweep is a three-point learning-rate grid: a moderate rate, a large one and one far too
/// small to learn in three epochs, in that order, so the best trial is neither the first nor the last.
private struct SweptProject {
  let root: URL

  init(kind: String, objective: String, direction: String, pruner: String, gate: String) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-kind-sweep-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets/synthetic"), withIntermediateDirectories: true)
    let synthesized = try runKiln(["dataset", "synthesize", "datasets/synthetic/synthetic.h5", "--kind", kind,
                                   "--rows", "400", "--noise-features", "2", "--seed", "3"], in: root)
    try #require(synthesized.status == 0, "\(synthesized.stderr)")
    try """
      name: synthetic-\(kind)
      dataset: datasets/synthetic/synthetic.h5
      model: {kind: mlp, hidden: [16], activation: relu}
      training: {epochs: 3, batch_size: 32, seed: 11, optimizer: {kind: adam, lr: 1.0e-2}}
      evaluation: {sensitive: [group], bootstrap: {resamples: 20}}
      gates:
        - \(gate)
      sweep:
        objective: {metric: \(objective), direction: \(direction)}
        sampler: grid
        trials: 3
        pruner: \(pruner)
        space:
          training.optimizer.lr: {choice: ["0.003", "0.03", "0.000001"]}
      """.write(to: root.appendingPathComponent("experiments/synthetic.yaml"), atomically: true, encoding: .utf8)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }

  /// Runs the sweep one trial per generation (so each trial is judged against every earlier one)
  /// and returns its id with `kiln sweep show --json`'s object.
  func sweep() throws -> (id: String, shown: [String: Any]) {
    let sweep = try runKiln(["sweep", "experiments/synthetic.yaml", "--batch-size", "1"], in: root)
    try #require(sweep.status == 0, "sweep failed: \(sweep.stderr)")
    let firstLine = try #require(sweep.stdout.split(separator: "\n").first { $0.hasPrefix("sweep ") })
    let id = String(try #require(firstLine.split(separator: " ").dropFirst().first).dropLast())
    let shown = try runKiln(["sweep", "show", id, "--json"], in: root)
    try #require(shown.status == 0, "show failed: \(shown.stderr)")
    return (id, try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]))
  }

  /// The pipeline's training run must be the best trial's configuration, tagged with its number.
  func expectPipelineTrains(bestTrial number: Int, of sweepID: String, metric: String) throws {
    let piped = try runKiln(["pipeline", "experiments/synthetic.yaml", "--quiet"], in: root)
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stderr.contains("sweep: trial \(number) of sweep \(sweepID) is the best (\(metric) = "), "\(piped.stderr)")
    #expect(piped.stdout.contains("trial \(number) of sweep \(sweepID) (best on the objective)"), "\(piped.stdout)")
    let tagged = try runKiln(["runs", "list", "--where", "tags.sweep.source = '\(sweepID)' and tags.sweep.trial = '\(number)'", "--json"],
                             in: root)
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(tagged.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 1, "\(tagged.stdout)")
  }
}

/// The trials of a shown sweep: number, state, final value, and the learning rate it tried.
private func trials(_ shown: [String: Any]) throws -> [(number: Int, state: String, value: Double?, lr: Double, steps: [Int: Double])] {
  let items = try #require(shown["trials"] as? [[String: Any]])
  return try items.map { item in
    let parameters = try #require(item["parameters"] as? [String: Any])
    let lr = try #require((parameters["training.optimizer.lr"] as? String).flatMap(Double.init) ?? parameters["training.optimizer.lr"] as? Double)
    let intermediate = (item["intermediate_values"] as? [String: Double]) ?? [:]
    return (try #require(item["number"] as? Int), try #require(item["state"] as? String), item["value"] as? Double, lr,
            Dictionary(uniqueKeysWithValues: intermediate.map { (Int($0.key)!, $0.value) }))
  }
}

@Suite(.serialized) struct SweepCLILabelKindTests {
  @Test func aRegressionSweepMinimisesRMSEPrunesTheWorseTrialAndThePipelineTrainsTheLowest() throws {
    let project = try SweptProject(kind: "regression", objective: "validation.rmse", direction: "minimize",
                                   pruner: "{kind: median, startup_trials: 1, warmup_steps: 0}",
                                   gate: "{metric: test.rmse, max: 100.0}")
    defer { project.remove() }
    let (id, shown) = try project.sweep()
    let all = try trials(shown)
    #expect(all.count == 3)
    let complete = all.filter { $0.state == "complete" }
    let values = complete.compactMap(\.value)
    try #require(!values.isEmpty)
    let best = try #require(shown["best"] as? [String: Any])
    let bestValue = try #require(best["value"] as? Double)
    let bestNumber = try #require(best["number"] as? Int)
    #expect(bestValue == values.min(), "best \(bestValue) of \(values)")
    #expect(all.first { $0.number == bestNumber }?.value == bestValue)
    // The rate too small to learn ends far above the others' RMSE: the median pruner, comparing
    // minimised values, stops it after its first epoch instead of letting it finish.
    let tiny = try #require(all.first { $0.lr < 1e-5 })
    #expect(tiny.state == "pruned", "\(all)")
    #expect(tiny.steps.count == 1, "\(all)")
    let firstStepPeers = complete.compactMap { $0.steps[1] }
    #expect(firstStepPeers.allSatisfy { $0 < tiny.steps[1]! }, "\(all)")
    try project.expectPipelineTrains(bestTrial: bestNumber, of: id, metric: "validation.rmse")
  }

  @Test func aMulticlassSweepMaximisesAccuracyWithASHAAndThePipelineTrainsTheHighest() throws {
    let project = try SweptProject(kind: "multiclass", objective: "validation.accuracy", direction: "maximize",
                                   pruner: "{kind: asha, min_resource: 1, reduction_factor: 2}",
                                   gate: "{metric: test.accuracy, min: 0.0}")
    defer { project.remove() }
    let (id, shown) = try project.sweep()
    let all = try trials(shown)
    #expect(all.count == 3)
    let values = all.filter { $0.state == "complete" }.compactMap(\.value)
    try #require(!values.isEmpty)
    let best = try #require(shown["best"] as? [String: Any])
    let bestValue = try #require(best["value"] as? Double)
    let bestNumber = try #require(best["number"] as? Int)
    #expect(bestValue == values.max(), "best \(bestValue) of \(values)")
    #expect(bestValue > 0.6)
    // Three blobs: a rate of 1e-6 stays near chance, so ASHA (keeping the best half) stops it at its first rung.
    let tiny = try #require(all.first { $0.lr < 1e-5 })
    #expect(tiny.state == "pruned", "\(all)")
    try project.expectPipelineTrains(bestTrial: bestNumber, of: id, metric: "validation.accuracy")
  }

  @Test func aSweepWhoseObjectiveTheKindLacksOrWhoseDirectionIsBackwardsFailsBeforeAnyTrial() throws {
    let lacking = try SweptProject(kind: "regression", objective: "validation.roc_auc", direction: "maximize",
                                   pruner: "{kind: none}", gate: "{metric: test.rmse, max: 100.0}")
    defer { lacking.remove() }
    let refused = try runKiln(["sweep", "experiments/synthetic.yaml"], in: lacking.root)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("`validation.roc_auc`, which a regression model's validation does not compute"), "\(refused.stderr)")
    #expect(refused.stderr.contains("validation.rmse"))

    let backwards = try SweptProject(kind: "regression", objective: "validation.rmse", direction: "maximize",
                                     pruner: "{kind: none}", gate: "{metric: test.rmse, max: 100.0}")
    defer { backwards.remove() }
    let reversed = try runKiln(["sweep", "experiments/synthetic.yaml"], in: backwards.root)
    #expect(reversed.status != 0)
    #expect(reversed.stderr.contains("`validation.rmse` is lower-is-better"), "\(reversed.stderr)")
    #expect(reversed.stderr.contains("direction: minimize"))
    let listed = try runKiln(["runs", "list", "--json"], in: backwards.root)
    #expect(!listed.stdout.contains("synthetic-regression-trial"))
  }
}
