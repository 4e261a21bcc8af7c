import Foundation
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline
import Testing

/// Data-parallel training of a model large enough that its hidden weight matrix (256 × 256 =
/// 65,536 scalars) is averaged in its own storage while the small gradients and the loss are packed
/// together: both paths of the gradient averaging must give one process's result.
@Suite struct DistributedTrainCLITests {
  /// A project at `root` (a new temporary folder by default): 1,280 rows of two moons and
  /// `experiments/wide.yaml`, one epoch of a [256, 256] MLP.
  static func makeProject(at root: URL = FileManager.default.temporaryDirectory
    .appendingPathComponent("kiln-cli-distributed-\(UUID().uuidString)")) throws -> URL {
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    _ = try SyntheticTask.write(to: root.appendingPathComponent("datasets/moons.h5"), rows: 1_280)
    try """
      name: wide-moons
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [256, 256], activation: relu}
      training: {epochs: 1, batch_size: 64, seed: 3, optimizer: {kind: sgd, lr: 0.05, momentum: 0.9}}
      """.write(to: root.appendingPathComponent("experiments/wide.yaml"), atomically: true, encoding: .utf8)
    return root
  }

  private func finalParameters(_ output: String, in root: URL) throws -> [Float] {
    let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("run ") })
    let runID = String(line.dropFirst(4).prefix { $0 != ":" })
    let checkpoint = root.appendingPathComponent(".kiln/runs/\(runID)/checkpoints/final.h5")
    return try TrainedModel.load(checkpoint: checkpoint).model.flattenedParameters().scalars
  }

  @Test func aWideModelOnTwoMPIRanksMatchesOneProcess() throws {
    let root = try Self.makeProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let single = try runKiln(["train", "experiments/wide.yaml", "--quiet"], in: root)
    #expect(single.status == 0, "\(single.stderr)")
    let parallel = try runKiln(["train", "experiments/wide.yaml", "--quiet", "--nproc", "2"], in: root)
    #expect(parallel.status == 0, "\(parallel.stderr)")
    let one = try finalParameters(single.stdout, in: root)
    let two = try finalParameters(parallel.stdout, in: root)
    try #require(one.count == two.count)
    let difference = zip(one, two).map { abs($0 - $1) }.max() ?? 1
    #expect(difference <= 1e-5)
  }

  /// Rank 0 gathers the validation outputs in row order, so a gated fairness metric on two ranks
  /// is that of the two-rank model's own predictions, row by row with its groups.
  @Test func aValidationFairnessMetricOnTwoRanksIsTheEvaluationOfTheValidationSplit() throws {
    let root = try Self.makeProject()
    defer { try? FileManager.default.removeItem(at: root) }
    try """
      name: fair-moons
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [8], activation: relu}
      training: {epochs: 2, batch_size: 64, seed: 3, optimizer: {kind: adam, lr: 1.0e-2}}
      evaluation: {sensitive: [group], bootstrap: {resamples: 10}}
      gates:
        - {metric: fairness.group.demographic_parity_difference, max: 1.0}
      """.write(to: root.appendingPathComponent("experiments/fair.yaml"), atomically: true, encoding: .utf8)
    let parallel = try runKiln(["train", "experiments/fair.yaml", "--json", "--nproc", "2"], in: root)
    #expect(parallel.status == 0, "\(parallel.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(parallel.stdout.utf8)) as? [String: Any])
    let runID = try #require(json["run_id"] as? String)
    let tracked = try #require((json["validation_metrics"] as? [String: Any])?["validation.fairness.group.demographic_parity_difference"] as? Double)
    let evaluation = try EvaluationWorkflow.evaluate(runID: runID, layout: ProjectLayout(root: root), split: "validation")
    let evaluated = try #require(evaluation.namedMetrics["fairness.group.demographic_parity_difference"]?.value)
    #expect(abs(tracked - evaluated) < 1e-12, "tracked \(tracked) on two ranks, evaluated \(evaluated)")
  }

  /// Two 65,536-scalar hidden matrices, one owned by each rank when the optimizer is sharded.
  private func makeShardingProject(clip: Bool) throws -> URL {
    let root = try Self.makeProject()
    try """
      name: deep-moons
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [256, 256, 256], activation: relu}
      training: {epochs: 5, batch_size: 64, seed: 5, optimizer: {kind: adam, lr: 1.0e-3}, checkpoint_every_steps: 25\(clip ? ", gradient_clip_norm: 0.5" : "")}
      """.write(to: root.appendingPathComponent("experiments/deep.yaml"), atomically: true, encoding: .utf8)
    return root
  }

  /// max |a − b| / max(|a|, |b|) over the parameters, 0 where both are 0.
  private func largestRelativeDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { x, y in max(abs(x), abs(y)) == 0 ? 0 : abs(x - y) / max(abs(x), abs(y)) }.max() ?? .infinity
  }

  /// ZeRO stage 1: each rank steps Adam for its own hidden matrix and sends it to the other; after
  /// 5 epochs every parameter matches the unsharded 2-rank run (bitwise without clipping, where the
  /// two sums are the same two numbers; within 1e-5 with clipping, whose norm is summed in another
  /// grouping).
  @Test(arguments: [false, true])
  func aShardedOptimizerOnTwoRanksMatchesTheUnshardedOne(clip: Bool) throws {
    let root = try makeShardingProject(clip: clip)
    defer { try? FileManager.default.removeItem(at: root) }
    let sharded = try runKiln(["train", "experiments/deep.yaml", "--quiet", "--nproc", "2"], in: root)
    #expect(sharded.status == 0, "\(sharded.stderr)")
    let replicated = try runKiln(["train", "experiments/deep.yaml", "--quiet", "--nproc", "2",
                                  "--set", "training.shard_optimizer=false"], in: root)
    #expect(replicated.status == 0, "\(replicated.stderr)")
    let a = try finalParameters(sharded.stdout, in: root)
    let b = try finalParameters(replicated.stdout, in: root)
    try #require(a.count == b.count && a.count > 130_000)
    if clip {
      #expect(largestRelativeDifference(a, b) <= 1e-5)
    } else {
      #expect(a == b)
    }
  }

  /// A sharded 2-rank run killed mid-epoch resumes from its last checkpoint (optimizer state
  /// gathered from both ranks) on one process and on two, to the uninterrupted run's weights
  /// within 1e-5.
  @Test func aKilledShardedRunResumesAtAnyWorldSize() throws {
    let root = try makeShardingProject(clip: false)
    defer { try? FileManager.default.removeItem(at: root) }
    let uninterrupted = try runKiln(["train", "experiments/deep.yaml", "--quiet", "--nproc", "2"], in: root)
    #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
    let reference = try finalParameters(uninterrupted.stdout, in: root)
    var seen: Set<String> = []
    for worldSize in [1, 2] {
      // 10 steps per epoch at 2 ranks × 64 rows; killed at step 33, after the checkpoint at step 25.
      let killed = try runKiln(["train", "experiments/deep.yaml", "--quiet", "--nproc", "2", "--kill-after-steps", "33"], in: root)
      #expect(killed.status != 0)
      let runs = try runKiln(["runs", "list", "--json"], in: root)
      let listed = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
      let unfinished = listed.filter { ($0["status"] as? String) != "finished" }.compactMap { $0["id"] as? String }
      let runID = try #require(unfinished.first { !seen.contains($0) }, "\(runs.stdout)")
      seen.insert(runID)
      var arguments = ["train", "--resume", runID, "--quiet"]
      if worldSize > 1 { arguments += ["--nproc", String(worldSize)] }
      let resumed = try runKiln(arguments, in: root)
      #expect(resumed.status == 0, "\(resumed.stderr)")
      let checkpoint = root.appendingPathComponent(".kiln/runs/\(runID)/checkpoints/final.h5")
      let continued = try TrainedModel.load(checkpoint: checkpoint).model.flattenedParameters().scalars
      // Across world sizes the batch's gradient is summed in another order (one GEMM over 128 rows
      // against two over 64), so the weights agree to the tolerance of the other world-size tests.
      let difference = zip(continued, reference).map { abs($0 - $1) }.max() ?? 1
      #expect(difference <= 1e-5, "resumed at \(worldSize) rank(s): \(difference)")
    }
  }
}
