import KilnOutput
import Foundation
import KilnMetrics
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnPromotion
import KilnTuning

/// What the pipeline did, for the summary table (or JSON) `kiln pipeline` prints.
public struct PipelineSummary: Sendable, CommandOutput {
  public var experiment: String
  public var datasetFile: URL
  public var datasetImported: Bool
  public var runID: String
  public var metrics: [String: MetricEstimate]
  public var outcome: PromotionOutcome
  /// The project, against whose root files are named.
  public var layout: ProjectLayout
  /// The sweep trial whose configuration was trained, when one was.
  public var sweep: SweepChoice? = nil

  /// The headline metrics shown in the summary, when computed.
  static let headline = ["test.accuracy", "test.roc_auc", "test.f1", "test.expected_calibration_error",
                         "test.macro_f1", "test.log_loss", "test.rmse", "test.mae", "test.r2"]

  /// The summary as a two-column table, then the gate table.
  public func text() -> String {
    var table = TextTable(header: ["step", "result"])
    table.append(["dataset", ProjectLayout.relative(datasetFile, to: layout) + (datasetImported ? " (imported)" : " (up to date)")])
    if let sweep { table.append(["sweep", sweep.text]) }
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

extension PipelineSummary {
  /// Whether the gates let the model through.
  public var promoted: Bool { outcome.gateReport.decision.verdict == .promote }

  /// The summary as JSON (snake_case keys), for `kiln pipeline --json`: the sweep trial trained
  /// (`sweep`, or null), the decision, every gate,
  /// the registered version and its stage, the report files, and every metric computed.
  public func json() throws -> String { try JSONOutput.encoded(jsonValue) }

  /// The object `json()` prints.
  var jsonValue: JSONValue {
    func number(_ value: Double?) -> JSONValue { value.map { $0.isFinite ? .number($0) : .null } ?? .null }
    let decision = outcome.gateReport.decision
    let gates: [JSONValue] = decision.results.map { result in
      .object(["gate": .string(result.gate.summary), "metric": .string(result.metric), "outcome": .string(result.outcome.rawValue),
               "blocks": .bool(result.blocks), "observed": number(result.observed), "threshold": number(result.threshold),
               "margin": number(result.margin), "reason": .string(result.reason)])
    }
    var metricValues: [String: JSONValue] = [:]
    for (name, estimate) in metrics {
      var entry: [String: JSONValue] = ["value": estimate.isDefined ? number(estimate.value) : .null]
      if let interval = estimate.interval {
        entry["ci_lower"] = number(interval.lower)
        entry["ci_upper"] = number(interval.upper)
      }
      metricValues[name] = .object(entry)
    }
    return .object([
      "experiment": .string(experiment),
      "dataset": .object(["file": .string(ProjectLayout.relative(datasetFile, to: layout)), "imported": .bool(datasetImported)]),
      "sweep": sweep?.jsonValue ?? .null,
      "run_id": .string(runID),
      "decision": .string(decision.verdict.rawValue),
      "gates": .array(gates),
      "model": .string(outcome.version.modelName),
      "version": .number(Double(outcome.version.version)),
      "stage": .string(outcome.version.stage.rawValue),
      "reports": .array(outcome.reportFiles.map { .string(ProjectLayout.relative($0, to: layout)) }),
      "metrics": .object(metricValues),
    ])
  }
}
