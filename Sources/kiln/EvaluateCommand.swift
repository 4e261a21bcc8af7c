import ArgumentParser
import Foundation
import KilnConfiguration
import KilnEvaluation

/// `kiln evaluate --run RUN_ID`: performance, fairness and robustness of a trained run.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Evaluate a trained run: performance, fairness by group with intervals, robustness; logs metrics and evaluation.json to the run.")

  @Option(name: .customLong("run"), help: "The run to evaluate (an id or a unique prefix; see `kiln runs list`).")
  var runID: String

  @Option(help: "The dataset split to evaluate on.")
  var split = "test"

  @Flag(help: "Print the full evaluation as JSON instead of the summary.")
  var json = false

  func run() throws {
    let result = try EvaluationWorkflow.evaluate(runID: runID, layout: ProjectLayout.discover(), split: split)
    try emit(result, json: json)
  }
}
