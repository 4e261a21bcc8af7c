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
  private func makeProject() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-distributed-\(UUID().uuidString)")
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
    let root = try makeProject()
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
}
