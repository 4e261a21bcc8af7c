import Foundation
import KilnSweep
import KilnConfiguration
import KilnTuning

// An Adult sweep (experiments/adult-mlp.yaml, TPE) of 20 trials with ASHA pruning against the
// same sweep without pruning: wall time and best validation ROC AUC. Needs the imported Adult
// dataset (kiln dataset import datasets/adult/dataset.yaml); skipped with a note otherwise.
// Prints one JSON object per line: {"name", "kiln", "reference", "ratio", "units"}, where
// "kiln" is the ASHA sweep and "reference" the unpruned one.
//   KilnSweepWorkflowBenchmarks [--trials 20]

struct BenchmarkLine: Encodable {
  let name: String
  let kiln: Double
  let reference: Double
  let ratio: Double
  let units: String
}

let arguments = CommandLine.arguments
let trials = arguments.firstIndex(of: "--trials").flatMap { Int(arguments[$0 + 1]) } ?? 20
let repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let experiment = repository.appendingPathComponent("experiments/adult-mlp.yaml")
guard FileManager.default.fileExists(atPath: repository.appendingPathComponent("datasets/adult/adult.h5").path) else {
  FileHandle.standardError.write(Data("# KilnSweepWorkflowBenchmarks: datasets/adult/adult.h5 is missing; import it first\n".utf8))
  exit(0)
}

/// Runs the sweep in a fresh project that sees the repository's datasets; returns (seconds, best value).
func sweep(pruner: String) throws -> (seconds: Double, best: Double, pruned: Int) {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-sweep-bench-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: root) }
  try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("datasets"),
                                             withDestinationURL: repository.appendingPathComponent("datasets"))
  let layout = ProjectLayout(root: root)
  let session = try SweepWorkflow.start(experimentFile: experiment, overrides: ["sweep.pruner.kind=\(pruner)"],
                                        trials: trials, batchSize: 4, layout: layout, commandLine: [])
  let start = Date()
  try SweepWorkflow.run(session, parallel: 1, objective: TrainingSweepObjective(session: session), workerArguments: [])
  let seconds = Date().timeIntervalSince(start)
  let summary = try SweepSummary(session: session)
  return (seconds, summary.best?.value ?? .nan, summary.trials.filter { $0.state == .pruned }.count)
}

do {
  // Training prints a line per trial; send it to stderr so stdout holds only the JSON lines.
  let standardOutput = dup(1)
  dup2(2, 1)
  let pruned = try sweep(pruner: "asha")
  let unpruned = try sweep(pruner: "none")
  fflush(stdout)
  dup2(standardOutput, 1)
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  for line in [
    BenchmarkLine(name: "sweep_adult_\(trials)_trials_asha_vs_none_wall_time", kiln: pruned.seconds,
                  reference: unpruned.seconds, ratio: pruned.seconds / unpruned.seconds, units: "s"),
    BenchmarkLine(name: "sweep_adult_\(trials)_trials_asha_vs_none_best_validation_roc_auc", kiln: pruned.best,
                  reference: unpruned.best, ratio: pruned.best / unpruned.best, units: "roc_auc"),
  ] {
    print(String(decoding: try encoder.encode(line), as: UTF8.self))
  }
  FileHandle.standardError.write(Data("# ASHA pruned \(pruned.pruned) of \(trials) trials\n".utf8))
} catch {
  FileHandle.standardError.write(Data("KilnSweepWorkflowBenchmarks: \(error)\n".utf8))
  exit(1)
}
