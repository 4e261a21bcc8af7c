import ArgumentParser
import Foundation
import KilnData
import KilnConfiguration
import KilnEvaluation

extension LabelKind: ExpressibleByArgument {}

/// `kiln fairness PREDICTIONS.csv …`: audits the predictions of any model, from any framework.
struct FairnessCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fairness",
    abstract: "Audit a predictions CSV for fairness by group, with bootstrap confidence intervals.")

  @Argument(help: "CSV file with a header row: labels, predictions, optional scores and sensitive columns.")
  var predictions: String

  @Option(help: "Column of true labels (0 or 1; class names for multiclass; numbers for regression).")
  var label: String

  @Option(help: "Column of predictions (0 or 1; class names for multiclass; numbers for regression).")
  var prediction: String

  @Option(help: "What the label is: binary, multiclass or regression.")
  var kind: LabelKind = .binary

  @Option(help: "Column of scores, probabilities of label 1 in [0, 1] (adds ROC AUC and calibration error).")
  var score: String?

  @Option(help: "Comma-separated sensitive attribute columns, e.g. sex,race.")
  var sensitive: String

  @Flag(help: "Also audit the intersection of all sensitive columns.")
  var intersections = false

  @Option(help: "Groups with fewer rows are reported as insufficient data and left out of disparities.")
  var minGroupSize = 1

  @Option(help: "Bootstrap resamples for confidence intervals (0 for none).")
  var resamples = 1000

  @Option(help: "Seed of the bootstrap.")
  var seed: UInt64 = 0

  @Flag(help: "Print the report as JSON.")
  var json = false

  func run() throws {
    let table = try DelimitedReader.readTable(URL(fileURLWithPath: predictions))
    let request = FairnessAuditRequest(
      labelColumn: label, predictionColumn: prediction, scoreColumn: score,
      sensitiveColumns: sensitive.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty },
      includeIntersection: intersections, minimumGroupSize: minGroupSize, resamples: max(resamples, 0), seed: seed)
    let report = try request.run(on: table, kind: kind)
    try emit(report, json: json)
  }
}
