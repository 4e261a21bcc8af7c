import Foundation
import KilnData
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline
import Testing

/// Data-parallel training of multiclass and regression heads through the CLI under Open MPI.
@Suite struct TrainCLILabelKindTests {
  private func project(_ kind: LabelKind) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-kinds-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    let url = root.appendingPathComponent("datasets/task.h5")
    try SyntheticTask.write(to: url, kind: kind, rows: 640)
    try """
      name: task
      dataset: datasets/task.h5
      model: {kind: mlp, hidden: [16], activation: relu}
      training: {epochs: 1, batch_size: 32, seed: 5, optimizer: {kind: adam, lr: 1.0e-2}}
      """.write(to: root.appendingPathComponent("experiments/task.yaml"), atomically: true, encoding: .utf8)
    return root
  }

  /// The `run ID: metrics` line and the final weights of a run.
  private func train(_ root: URL, ranks: Int) throws -> (metrics: Substring, weights: [Float]) {
    let result = try runKiln(["train", "experiments/task.yaml", "--quiet"] + (ranks > 1 ? ["--nproc", String(ranks)] : []), in: root)
    try #require(result.status == 0, "\(result.stderr)")
    let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("run ") })
    let runID = String(line.dropFirst(4).prefix { $0 != ":" })
    let model = try TrainedModel.load(checkpoint: root.appendingPathComponent(".kiln/runs/\(runID)/checkpoints/final.h5"))
    return (line.split(separator: ":", maxSplits: 1)[1], model.model.flattenedParameters().scalars)
  }

  @Test(arguments: [LabelKind.multiclass, .regression])
  func oneEpochOnTwoRanksMatchesOneProcess(kind: LabelKind) throws {
    let root = try project(kind)
    defer { try? FileManager.default.removeItem(at: root) }
    let single = try train(root, ranks: 1)
    let parallel = try train(root, ranks: 2)
    let difference = zip(single.weights, parallel.weights).map { abs($0 - $1) }.max() ?? 1
    #expect(difference <= 1e-5, "largest parameter difference \(difference)")
    #expect(single.metrics == parallel.metrics)
    #expect(single.metrics.contains(kind == .regression ? "validation.rmse" : "validation.macro_f1"), "\(single.metrics)")
  }
}
