import Foundation
import KilnMetrics
import KilnReport

/// What the pipeline did, for the summary table `kiln pipeline` prints.
public struct PipelineSummary: Sendable {
  public var experiment: String
  public var datasetFile: URL
  public var datasetImported: Bool
  public var runID: String
  public var metrics: [String: MetricEstimate]
  public var outcome: PromotionOutcome

  /// The headline metrics shown in the summary, when computed.
  static let headline = ["test.accuracy", "test.roc_auc", "test.f1", "test.expected_calibration_error",
                         "test.macro_f1", "test.log_loss", "test.rmse", "test.mae", "test.r2"]

  /// The summary as a two-column table, then the gate table.
  public func table(layout: ProjectLayout) -> String {
    var table = TextTable(header: ["step", "result"])
    table.append(["dataset", ProjectLayout.relative(datasetFile, to: layout) + (datasetImported ? " (imported)" : " (up to date)")])
    table.append(["train", "run \(runID)"])
    for name in Self.headline {
      guard let estimate = metrics[name] else { continue }
      let interval = estimate.interval.map { String(format: " [%.4f, %.4f]", $0.lower, $0.upper) } ?? ""
      table.append(["evaluate", "\(name) = " + (estimate.isDefined ? String(format: "%.4f", estimate.value) : "undefined") + interval])
    }
    let decision = outcome.gateReport.decision
    let passed = decision.results.filter { $0.outcome == .pass }.count
    table.append(["gates", "\(decision.verdict.rawValue.uppercased()) (\(passed)/\(decision.results.count) pass)"])
    table.append(["register", "\(outcome.version.modelName) v\(outcome.version.version)"])
    table.append(["stage", outcome.version.stage.rawValue + (outcome.version.stage == .staging ? " (production needs `kiln promote --to production --approved-by NAME`)" : "")])
    for file in outcome.reportFiles { table.append(["report", ProjectLayout.relative(file, to: layout)]) }
    return table.rendered() + "\n" + PromotionWorkflow.gateTable(decision)
  }
}
