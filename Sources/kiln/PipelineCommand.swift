import ArgumentParser
import Foundation
import KilnWorkflows

/// `kiln pipeline EXPERIMENT`: the golden path from raw data to a gated, registered, reported model.
struct PipelineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeline",
    abstract: "Import → train → evaluate → gate → register → promote to staging → write the reports.")

  @Argument(help: "The experiment file, e.g. experiments/adult-mlp.yaml.") var experiment: String
  @Flag(help: "Print plain progress lines even on a terminal.") var plain = false
  @Flag(help: "Print no training progress.") var quiet = false
  @Option(help: "Train with the best trial of this sweep run (default: the experiment's newest finished sweep, if any).")
  var sweep: String?
  @Flag(help: "Train the experiment file as written, even when a sweep of it has run.") var ignoreSweeps = false

  func validate() throws {
    if sweep != nil && ignoreSweeps { throw ValidationError("--sweep and --ignore-sweeps exclude each other") }
  }

  func run() throws {
    let layout = ProjectLayout.discover()
    let progress: ProgressReporter.Mode = quiet ? .quiet : (plain || isatty(STDERR_FILENO) == 0 ? .plain : .terminal)
    let summary = try Pipeline.run(experimentFile: URL(fileURLWithPath: experiment), layout: layout,
                                   options: PipelineOptions(progress: progress, commandLine: CommandLine.arguments,
                                                            sweep: ignoreSweeps ? .ignore : sweep.map { .run($0) } ?? .latest)) { line in
      FileHandle.standardError.write(Data("\(line)\n".utf8))
    }
    print(summary.table(layout: layout), terminator: "")
  }
}
