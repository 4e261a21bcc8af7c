import ArgumentParser
import Foundation
import KilnConfiguration
import KilnTraining
import KilnPipeline

/// `kiln pipeline EXPERIMENT`: the golden path from raw data to a gated, registered, reported model.
///
/// Exit statuses, so CI can tell a rejected model from a broken run: 0 the gates promoted the
/// model, `Kiln.rejectedStatus` (3) they rejected it (registered, not staged, reports written),
/// 1 an error (bad input, a failed step), 64 a misused command line.
struct PipelineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeline",
    abstract: "Import → train → evaluate → gate → register → promote to staging → write the reports.",
    discussion: """
      Exit status: 0 when the gates promote the model, 3 when they reject it (the version is
      registered with its reports but not staged), 1 on an error, 64 on a misused command line.
      """)

  @Argument(help: "The experiment file, e.g. experiments/adult-mlp.yaml.") var experiment: String
  @Option(name: .customLong("set"), help: ArgumentHelp("Override a key of the experiment file, e.g. training.epochs=5 (applied after a sweep's).", valueName: "KEY=VALUE"))
  var overrides: [String] = []
  @Flag(help: "Print the result as JSON (decision, gates, version, stage, reports, metrics) instead of tables.") var json = false
  @Flag(help: "Print plain progress lines even on a terminal.") var plain = false
  @Flag(help: "Print no training progress.") var quiet = false
  @OptionGroup var sweepSelection: SweepSelection

  func run() throws {
    let layout = ProjectLayout.discover()
    let progress: ProgressReporter.Mode = quiet ? .quiet : (plain || isatty(STDERR_FILENO) == 0 ? .plain : .terminal)
    let summary = try Pipeline.run(experimentFile: URL(fileURLWithPath: experiment), layout: layout,
                                   options: PipelineOptions(progress: progress, commandLine: CommandLine.arguments,
                                                            sweep: sweepSelection.source, overrides: overrides)) { line in
      FileHandle.standardError.write(Data("\(line)\n".utf8))
    }
    try emit(summary, json: json)
    if !summary.promoted { throw ExitCode(Kiln.rejectedStatus) }
  }
}
