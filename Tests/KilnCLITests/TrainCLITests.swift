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

/// A temporary project with a synthetic dataset and an experiment file, driven through the CLI.
private struct CLIProject {
  let root: URL

  init(rows: Int = 1_600, extraTraining: String = "") throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    try SyntheticTask.write(to: root.appendingPathComponent("datasets/moons.h5"), rows: rows)
    try """
      name: moons
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [16], activation: relu, dropout: 0.1}
      training: {epochs: 3, batch_size: 32, seed: 5, optimizer: {kind: adam, lr: 1.0e-2}, checkpoint_every_steps: 10\(extraTraining)}
      """.write(to: root.appendingPathComponent("experiments/moons.yaml"), atomically: true, encoding: .utf8)
  }

  func finalCheckpoint(of runID: String) -> URL {
    root.appendingPathComponent(".kiln/runs/\(runID)/checkpoints/final.h5")
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

private func runID(in output: String) -> String? {
  output.split(separator: "\n").first { $0.hasPrefix("run ") }.map { String($0.dropFirst(4).prefix { $0 != ":" }) }
}

@Suite struct TrainCLITests {
  @Test func aRunKilledWithSigkillResumesToTheSameFinalWeights() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let uninterrupted = try runKiln(["train", "experiments/moons.yaml", "--quiet"], in: project.root)
    #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
    let referenceID = try #require(runID(in: uninterrupted.stdout))

    // Killed mid-epoch 2 (35 steps per epoch), after the checkpoint at step 50.
    let killed = try runKiln(["train", "experiments/moons.yaml", "--quiet", "--kill-after-steps", "57"], in: project.root)
    #expect(killed.status != 0)
    let runs = try runKiln(["runs", "list", "--json"], in: project.root)
    let killedID = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
      .compactMap { $0["id"] as? String }.first { $0 != referenceID }
    // Resumed by the short id that `kiln runs list` prints.
    let resumed = try runKiln(["train", "--resume", String(try #require(killedID).prefix(8)), "--quiet"], in: project.root)
    #expect(resumed.status == 0, "\(resumed.stderr)")

    let reference = try TrainedModel.load(checkpoint: project.finalCheckpoint(of: referenceID))
    let continued = try TrainedModel.load(checkpoint: project.finalCheckpoint(of: try #require(killedID)))
    #expect(reference.model.flattenedParameters().scalars == continued.model.flattenedParameters().scalars)
    let shown = try runKiln(["runs", "show", try #require(killedID)], in: project.root)
    #expect(shown.stdout.contains("finished"))
  }

  /// Trains with `overrides` in one process and on 2 MPI ranks and checks the final weights agree
  /// within 1e-5 and the validation metrics exactly (they are computed over the same rows in the
  /// same order at any world size).
  private func expectTwoRanksMatchOneProcess(_ overrides: [String]) throws {
    let project = try CLIProject(rows: 1_280)
    defer { project.remove() }
    let single = try runKiln(["train", "experiments/moons.yaml", "--quiet"] + overrides, in: project.root)
    #expect(single.status == 0, "\(single.stderr)")
    let parallel = try runKiln(["train", "experiments/moons.yaml", "--quiet", "--nproc", "2"] + overrides, in: project.root)
    #expect(parallel.status == 0, "\(parallel.stderr)")
    let one = try TrainedModel.load(checkpoint: project.finalCheckpoint(of: try #require(runID(in: single.stdout))))
    let two = try TrainedModel.load(checkpoint: project.finalCheckpoint(of: try #require(runID(in: parallel.stdout))))
    let difference = zip(one.model.flattenedParameters().scalars, two.model.flattenedParameters().scalars).map { abs($0 - $1) }.max() ?? 1
    #expect(difference <= 1e-5)
    let singleMetrics = single.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }!.split(separator: ":", maxSplits: 1)[1]
    let parallelMetrics = parallel.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }!.split(separator: ":", maxSplits: 1)[1]
    #expect(singleMetrics == parallelMetrics)
  }

  @Test func oneEpochOnTwoMPIRanksMatchesOneProcess() throws {
    try expectTwoRanksMatchOneProcess(["--set", "training.epochs=1", "--set", "model.dropout=0"])
  }

  @Test func restoringTheBestEpochOnTwoMPIRanksMatchesOneProcess() throws {
    try expectTwoRanksMatchOneProcess(["--set", "training.epochs=4", "--set", "model.dropout=0", "--set", "training.restore_best=true"])
  }

  /// Dropout masks are keyed by (seed, epoch, dataset row), so ranks mask their rows as one process does.
  @Test func trainingWithDropoutOnTwoMPIRanksMatchesOneProcess() throws {
    try expectTwoRanksMatchOneProcess(["--set", "training.epochs=2", "--set", "model.dropout=0.2"])
  }

  @Test func aFailureOnRankZeroEndsTheWholeMPIJobInsteadOfHangingIt() throws {
    let project = try CLIProject(rows: 640)
    defer { project.remove() }
    // Rank 1 is waiting in the next allreduce when rank 0 fails; the job must end, with the rank named.
    let result = try runKiln(["train", "experiments/moons.yaml", "--quiet", "--nproc", "2", "--fail-after-steps", "3"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("error on rank 0 of 2"))
    #expect(result.stderr.contains("injected failure after step 3"))
    // The launcher marks the run failed and says how to continue it (naming the rank and its host
    // when mpirun's report of the abort arrives; Open MPI 4 sometimes loses it).
    #expect(result.stderr.contains("mpirun ended the job"), "\(result.stderr)")
    #expect(result.stderr.contains("is marked failed; continue it from its last checkpoint with: kiln train --resume"), "\(result.stderr)")
  }

  @Test func aTypoInTheExperimentFileIsReportedWithLineAndSuggestion() throws {
    let project = try CLIProject(rows: 100)
    defer { project.remove() }
    let result = try runKiln(["train", "experiments/moons.yaml", "--set", "training.learning_rat=0.1"], in: project.root)
    #expect(result.status == 1)
    #expect(result.stderr.contains("unknown key `learning_rat`"))
    #expect(result.stderr.contains("--set training.learning_rat=0.1"))
  }

  @Test func aRunNameOutsideTheNamingRuleIsRefusedBeforeAnyProcessStarts() throws {
    let project = try CLIProject(rows: 100)
    defer { project.remove() }
    let result = try runKiln(["train", "experiments/moons.yaml", "--name", "../../escape", "--nproc", "2"], in: project.root)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains("'../../escape' is not a valid run name: it contains '/'"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent(".kiln").path))
  }
}

@Suite struct SynthesizeCLITests {
  @Test func aSynthesizedDatasetValidatesAndTrainsWithPlainProgressLines() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-synth-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let made = try runKiln(["dataset", "synthesize", "moons.h5", "--rows", "300", "--noise-features", "2"], in: root)
    #expect(made.status == 0, "\(made.stderr)")
    #expect(made.stdout.contains("300 rows, 4 features"))
    #expect(try runKiln(["dataset", "validate", "moons.h5"], in: root).status == 0)
    try """
      name: tiny
      dataset: moons.h5
      model: {kind: logistic_regression}
      training: {epochs: 2, batch_size: 50, seed: 1, optimizer: {kind: sgd, lr: 0.1, momentum: 0.9}}
      """.write(to: root.appendingPathComponent("experiments/tiny.yaml"), atomically: true, encoding: .utf8)
    let trained = try runKiln(["train", "experiments/tiny.yaml"], in: root)
    #expect(trained.status == 0, "\(trained.stderr)")
    // Output is a pipe, not a terminal: plain lines, no escape sequences.
    #expect(!trained.stdout.contains("\u{1B}["))
    #expect(trained.stdout.contains("epoch 2/2"))
    #expect(trained.stdout.contains("training completed 2 epochs"))
    let rejected = try runKiln(["dataset", "synthesize", "x.h5", "--rows", "5"], in: root)
    #expect(rejected.status != 0)
    #expect(rejected.stderr.contains("--rows must be at least 20"))
  }
}
