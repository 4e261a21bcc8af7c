import ArgumentParser
import Foundation
import KilnConfiguration
import KilnMonitoring
import KilnOutput

/// `kiln predict --run RUN_ID|--model REF --input FILE --output FILE`: batch scoring with the dataset's encoding.
struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Score a raw CSV (or a Kiln dataset .h5) with a trained model: row ids, scores and decisions.",
    discussion: """
      Raw rows are encoded with the encoding stored in the model's dataset; unseen categories go to the \
      unknown bucket and are counted; rows that cannot be encoded go to the rejects file (line, reason, \
      raw text). The CSV is streamed in chunks. The scoring is tracked as a run of experiment NAME-scoring.
      The model is a trained run (--run) or a registered version (--model; NAME alone is the production version).
      """)

  @OptionGroup var selection: ModelSelection

  @Option(help: "The rows to score: a raw .csv laid out like the imported files, or a Kiln dataset .h5.")
  var input: String

  @Option(help: "Where to write scores: .csv (row_id,line,score,decision) or .h5.")
  var output: String

  @Option(help: "Where to write rejected rows (default: OUTPUT with extension .rejects.csv).")
  var rejects: String?

  @Option(help: "Rows encoded and scored at a time.")
  var batchSize = 8192

  @Flag(help: "Print the summary as JSON.")
  var json = false

  func validate() throws {
    guard selection.isGiven else { throw ValidationError("give --run RUN_ID or --model NAME[@stage|:VERSION]") }
    guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1, found \(batchSize)") }
  }

  func run() throws {
    let layout = ProjectLayout.discover()
    guard let model = try selection.loadModel(layout: layout) else {
      throw ValidationError("give --run RUN_ID or --model NAME[@stage|:VERSION]")
    }
    let (summary, runID) = try model.score(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output),
                                           rejects: rejects.map { URL(fileURLWithPath: $0) }, batchSize: batchSize,
                                           layout: layout, commandLine: CommandLine.arguments)
    try emit(Scoring(summary: summary, model: model, runID: runID), json: json)
  }
}

/// What `kiln predict` prints: the counts of a scoring run, and the run that tracked it.
private struct Scoring: CommandOutput {
  var summary: BatchScoringSummary
  var model: MonitoredModel
  var runID: String

  func text() -> String {
    var threshold = model.labelKind == .binary ? ", threshold \(String(format: "%.3f", model.threshold))" : ""
    if let groups = model.groupThresholds {
      threshold = ", group thresholds by \(groups.grouping) under \(groups.constraint.rawValue), read from the input's sensitive columns"
    }
    if model.mixtureDecisions != nil { threshold = ", decided by the reduction's mixture, seeded per row" }
    if model.mixtureValues != nil { threshold = ", predicted by the reduction's mixture: one member per row, seeded" }
    var lines = ["scored \(summary.rowsScored) of \(summary.rowsRead) rows with \(model.name) (run \(model.runID)\(threshold))"]
    let rejected = "rejected: \(summary.rowsRejected)" + (summary.rejects.map { " → \($0)" } ?? "")
    switch model.labelKind {
    case .binary: lines.append("  decided positive: \(summary.positives); \(rejected)")
    case .multiclass:
      let counts = summary.predictedClasses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
      lines.append("  predicted classes: \(counts); \(rejected)")
    case .regression: lines.append("  predicted values; \(rejected)")
    }
    for (column, count) in summary.unknownCategories.sorted(by: { $0.key < $1.key }) {
      lines.append("  unknown categories in \(column): \(count)")
    }
    lines += ["  output: \(summary.output)", "  tracked as run \(runID)"]
    return lines.map { $0 + "\n" }.joined()
  }

  func json() throws -> String { try JSONOutput.encoded(summary) }
}
