import ArgumentParser
import Foundation
import KilnWorkflows

/// `kiln drift --experiment FILE --current FILE`: compares a batch with the model's training data.
struct DriftCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "drift",
    abstract: "Compare a current batch with the training split: PSI and KS/χ² per feature, group mix, drift within groups.",
    discussion: """
      The reference is the train split of the experiment's dataset; thresholds come from the experiment's
      `monitoring:` block. The current batch is a raw CSV laid out like the imported files, or a Kiln
      dataset (.h5) with the same features. Writes reports/MODEL/drift/DATE/drift.{html,json}.
      Exit status: 0 when nothing drifted, 1 on errors, 3 when the verdict is drift.
      """)

  @Option(help: "The experiment file of the model (its dataset and monitoring thresholds).")
  var experiment: String

  @Option(help: "The current batch: a raw .csv or a Kiln dataset .h5.")
  var current: String

  @Flag(help: "Print the report as JSON.")
  var json = false

  @Flag(help: "Do not write the HTML and JSON report under reports/.")
  var noReport = false

  func run() throws {
    let layout = ProjectLayout.discover()
    let configuration = try ExperimentConfiguration.load(file: URL(fileURLWithPath: experiment))
    let request = DriftRequest(dataset: layout.resolve(configuration.dataset), current: URL(fileURLWithPath: current),
                               thresholds: (configuration.monitoring ?? MonitoringConfiguration()).thresholds,
                               context: ["model": configuration.name, "experiment": experiment])
    let report = try request.run()
    if json {
      FileHandle.standardOutput.write(try report.jsonData())
      FileHandle.standardOutput.write(Data("\n".utf8))
    } else {
      print(report.renderedText(), terminator: "")
    }
    if !noReport {
      let directory = layout.driftReportDirectory(model: configuration.name)
      try report.write(to: directory, title: "Drift of \(configuration.name)")
      FileHandle.standardError.write(Data("report: \(directory.path)/drift.html\n".utf8))
    }
    if report.verdict == .drift { throw ExitCode(3) }
  }
}
