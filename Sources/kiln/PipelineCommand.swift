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
  @OptionGroup var sweepSelection: SweepSelection

  func run() throws {
    let layout = ProjectLayout.discover()
    let progress: ProgressReporter.Mode = quiet ? .quiet : (plain || isatty(STDERR_FILENO) == 0 ? .plain : .terminal)
    let summary = try Pipeline.run(experimentFile: URL(fileURLWithPath: experiment), layout: layout,
                                   options: PipelineOptions(progress: progress, commandLine: CommandLine.arguments,
                                                            sweep: sweepSelection.source)) { line in
      FileHandle.standardError.write(Data("\(line)\n".utf8))
    }
    print(summary.table(layout: layout), terminator: "")
  }
}
