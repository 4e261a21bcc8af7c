import ArgumentParser
import Foundation
import KilnWorkflows

/// `kiln compare-models CHAMPION CHALLENGER --input FILE`: a batch shadow comparison.
struct CompareModelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare-models",
    abstract: "Score a raw CSV with two trained runs: agreement, flip rates overall and per group, metric deltas when labelled.")

  @Argument(help: "The champion's run (id or unique prefix).")
  var champion: String

  @Argument(help: "The challenger's run (id or unique prefix).")
  var challenger: String

  @Option(help: "The rows to score: a raw .csv laid out like the imported files.")
  var input: String

  @Option(help: "Paired bootstrap resamples for the accuracy delta's interval (0 for none).")
  var resamples = 1000

  @Flag(help: "Print the comparison as JSON.")
  var json = false

  func run() throws {
    try reportingWorldErrors {
      let layout = ProjectLayout.discover()
      let report = try ModelComparisonReport.compare(champion: try MonitoredModel.load(runID: champion, layout: layout),
                                                     challenger: try MonitoredModel.load(runID: challenger, layout: layout),
                                                     input: URL(fileURLWithPath: input), resamples: max(resamples, 0))
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(report))
        FileHandle.standardOutput.write(Data("\n".utf8))
      } else {
        print(report.renderedText(), terminator: "")
      }
    }
  }
}
