import ArgumentParser
import Foundation
import KilnConfiguration
import KilnTraining
import KilnPipeline

/// `kiln retrain EXPERIMENT --new-data FILE [--replace] [--sweep RUN | --ignore-sweeps]`: a new dataset version, then the golden path on it.
struct RetrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retrain",
    abstract: "Derive the next dataset version with new raw rows, then train → gate against the champion → register.")

  @Argument(help: "The experiment file, e.g. experiments/adult-mlp.yaml.") var experiment: String
  @Option(help: "Raw CSV rows in the same format as the recipe's training file.") var newData: String
  @Flag(help: "Replace the training data with the new rows instead of appending them.") var replace = false
  @Flag(help: "Print plain progress lines even on a terminal.") var plain = false
  @Flag(help: "Print no training progress.") var quiet = false
  @OptionGroup var sweepSelection: SweepSelection
  @Flag(help: "Print the result as JSON.") var json = false

  func run() throws {
    let layout = ProjectLayout.discover()
    let progress: ProgressReporter.Mode = quiet ? .quiet : (plain || isatty(STDERR_FILENO) == 0 ? .plain : .terminal)
    let summary = try Retraining.run(experimentFile: URL(fileURLWithPath: experiment), newData: URL(fileURLWithPath: newData),
                                     replace: replace, layout: layout,
                                     options: PipelineOptions(progress: progress, commandLine: CommandLine.arguments,
                                                              sweep: sweepSelection.source)) { line in
      FileHandle.standardError.write(Data("\(line)\n".utf8))
    }
    try emit(summary, json: json)
    if !summary.pipeline.promoted { throw ExitCode(Kiln.rejectedStatus) }
  }
}
