import ArgumentParser
import Foundation
import KilnConfiguration
import KilnPromotion
import KilnMonitoring

/// `kiln compare-models CHAMPION CHALLENGER --input FILE` (runs) or
/// `kiln compare-models --model REF --model REF --input FILE` (registered versions): a batch shadow comparison.
struct CompareModelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare-models",
    abstract: "Score a raw CSV with two trained runs: agreement, flip rates overall and per group, metric deltas when labelled.",
    discussion: """
      Name the two models as runs (CHAMPION CHALLENGER) or as registered versions with --model given twice, \
      champion first: e.g. --model adult-mlp --model adult-mlp@staging (NAME alone is the production version). \
      Both models must be of the same kind (and multiclass models have the same classes). Binary models flip \
      decisions, multiclass models predicted classes; regression models report the mean absolute difference \
      of their predictions instead. Labelled rows add the kind's metric deltas with paired bootstrap intervals.
      """)

  @Argument(help: "The champion's run (id or unique prefix).")
  var champion: String?

  @Argument(help: "The challenger's run (id or unique prefix).")
  var challenger: String?

  @Option(name: .customLong("model"), help: ArgumentHelp(
    "Twice, instead of the runs: the champion's then the challenger's registered version (NAME, NAME@production, NAME@staging, NAME@champion or NAME:VERSION).",
    valueName: "reference"))
  var models: [String] = []

  @Option(help: "The rows to score: a raw .csv laid out like the imported files.")
  var input: String

  @Option(help: ArgumentHelp(
    "Paired bootstrap resamples for the metric deltas' intervals (0 for none; default: the champion experiment's evaluation.bootstrap, else 1000).",
    valueName: "count"))
  var resamples: Int?

  @Flag(help: "Print the comparison as JSON.")
  var json = false

  func validate() throws {
    let runs = [champion, challenger].compactMap { $0 }
    if let resamples, resamples < 0 { throw ValidationError("--resamples must be 0 or more, found \(resamples)") }
    guard models.isEmpty || runs.isEmpty else { throw ValidationError("give either two runs or --model twice, not both") }
    guard runs.count == 2 || models.count == 2 else {
      throw ValidationError("give the champion and the challenger: two run ids, or --model REF --model REF")
    }
    for model in models {
      do { _ = try ModelReference.parse(model) } catch { throw ValidationError("\(error)") }
    }
  }

  func run() throws {
    let layout = ProjectLayout.discover()
    let loaded = models.isEmpty
      ? try [champion, challenger].compactMap { $0 }.map { try MonitoredModel.load(runID: $0, layout: layout) }
      : try models.map { try ModelSelection.load($0, layout: layout) }
    let championModel = loaded[0]
    let report = try ModelComparisonReport.compare(champion: championModel,
                                                   challenger: loaded[1],
                                                   input: URL(fileURLWithPath: input),
                                                   bootstrap: ModelComparisonReport.bootstrap(for: championModel, resamples: resamples),
                                                   seed: championModel.configuration.training.seed)
    try emit(report, json: json)
  }
}
