import ArgumentParser
import Foundation
import KilnConfiguration
import KilnMonitoring

/// `kiln monitor --run RUN_ID|--model REF --labelled FILE`: performance and fairness on a labelled batch.
struct MonitorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "monitor",
    abstract: "Recompute performance and fairness on a labelled batch and compare with the model run's figures.",
    discussion: """
      The batch is a raw CSV with the label column, laid out like the imported files. Baselines are the \
      run's test.* / fairness.* metrics when it was evaluated, else validation.*. The monitoring block's \
      max_metric_drop, max_fairness_increase, max_error_increase and max_worsening say what counts as \
      degradation, in each metric's direction (lower is better for rmse, mae, log_loss and differences). \
      Binary models are measured at their threshold; multiclass models on the kind's metrics (accuracy, \
      macro_f1, log_loss …) and regression models on rmse, mae and r2, each with group-wise fairness. \
      Writes reports/MODEL/monitor/DATE/monitor.json, recording the audit log's head it was written at. \
      Exit status 4 when degraded.
      The model is a trained run (--run) or a registered version (--model; NAME alone is the production version).
      """)

  @OptionGroup var selection: ModelSelection

  @Option(help: "The labelled batch: a raw .csv with the label column.")
  var labelled: String

  @Option(help: "An experiment file whose monitoring block to use (default: the run's).")
  var experiment: String?

  @Flag(help: "Print the report as JSON.")
  var json = false

  @Flag(help: "Do not write the JSON report under reports/.")
  var noReport = false

  func validate() throws {
    guard selection.isGiven else { throw ValidationError("give --run RUN_ID or --model NAME[@stage|:VERSION]") }
  }

  func run() throws {
    let layout = ProjectLayout.discover()
    guard let model = try selection.loadModel(layout: layout) else {
      throw ValidationError("give --run RUN_ID or --model NAME[@stage|:VERSION]")
    }
    let monitoring = try experiment.map { try ExperimentConfiguration.load(file: URL(fileURLWithPath: $0)).monitoring }
      ?? model.configuration.monitoring
    let report = try PerformanceMonitorRequest(model: model, labelled: URL(fileURLWithPath: labelled), monitoring: monitoring)
      .run(layout: layout)
    try emit(report, json: json)
    if !noReport {
      let directory = try layout.monitorReportDirectory(model: model.configuration.name)
      try report.write(to: directory)
      FileHandle.standardError.write(Data("report: \(directory.path)/monitor.json\n".utf8))
    }
    if report.degraded { throw ExitCode(4) }
  }
}
