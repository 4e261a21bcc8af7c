import ArgumentParser
import Foundation
import KilnDrift
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnPromotion
import KilnMonitoring

/// `kiln drift --run RUN_ID|--model REF --current FILE`: compares a batch with the model's training data.
struct DriftCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "drift",
    abstract: "Compare a current batch with the training split: PSI and KS/χ² per feature, scores, group mix, drift within groups.",
    discussion: """
      The reference is the train split of the model's dataset. With --run or --model (a registered version; \
      NAME alone is the production version), the trained model also scores both sides: the score PSI of a \
      binary model, the predicted-class distribution (PSI, χ²) of a multiclass model, the predicted values' \
      distribution (PSI, KS) of a regression model. Thresholds come from the `monitoring:` block of --experiment when given, else \
      of the run's stored configuration. The current batch is a raw CSV laid out like the imported files, \
      or a Kiln dataset (.h5) with the same features. Writes reports/MODEL/drift/DATE/drift.{html,json}, \
      each recording the audit log's head it was written at.
      Exit status: 0 without drift, 1 on errors, 3 when the verdict is drift.
      """)

  @OptionGroup var selection: ModelSelection

  @Option(help: "An experiment file: its dataset (without --run/--model) and its monitoring thresholds.")
  var experiment: String?

  @Option(help: "The current batch: a raw .csv or a Kiln dataset .h5.")
  var current: String

  @Flag(help: "Print the report as JSON.")
  var json = false

  @Flag(help: "Do not write the HTML and JSON report under reports/.")
  var noReport = false

  func validate() throws {
    guard selection.isGiven || experiment != nil else {
      throw ValidationError("give --run RUN_ID or --model NAME[@stage|:VERSION] (or --experiment FILE for feature drift only)")
    }
  }

  func run() throws {
    let layout = ProjectLayout.discover()
    let file = try experiment.map { try ExperimentConfiguration.load(file: URL(fileURLWithPath: $0)) }
    let model = try selection.loadModel(layout: layout)
    guard let configuration = file ?? model?.configuration else { return }
    var context = ["model": configuration.name]
    if let model { context["run"] = model.runID }
    if let experiment { context["experiment"] = experiment }
    let request = DriftRequest(dataset: model?.dataset ?? Trainer.datasetURL(configuration, layout: layout),
                               current: URL(fileURLWithPath: current),
                               thresholds: (configuration.monitoring ?? MonitoringConfiguration()).thresholds,
                               model: model, context: context)
    let report = try request.run()
    let head = Tracker.currentAuditHead(layout: layout)
    try emit(report.anchored(at: head), json: json)
    if !noReport {
      let directory = try layout.driftReportDirectory(model: configuration.name)
      try report.write(to: directory, title: "Drift of \(configuration.name)", auditHead: head)
      FileHandle.standardError.write(Data("report: \(directory.path)/drift.html\n".utf8))
    }
    if report.verdict == .drift { throw ExitCode(3) }
  }
}
