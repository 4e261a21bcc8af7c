import Foundation
import KilnMetrics
import KilnRobustness
import KilnConfiguration
import KilnTraining

extension EvaluationResult {
  /// A summary for a terminal: performance with intervals, the fairness audit's headline
  /// measures, and each perturbation's accuracy, drop and largest group drop.
  public func renderedSummary() -> String {
    var lines: [String] = []
    let run = runID.map { "run \($0.prefix(12)), " } ?? ""
    lines.append("Evaluation of \(run)split \(split): \(rowCount) rows, dataset \(datasetFingerprint.prefix(12))")
    lines += kind == .binary ? binaryPerformanceLines() : labelKindPerformanceLines()
    if let fairness {
      lines.append("")
      lines.append("== fairness (\(fairness.sections.map(\.name).joined(separator: ", ")))")
      // Binary audits lead with the named measures, the others with their headline metrics' differences.
      let headline = kind == .binary ? ["demographic_parity_difference", "equalized_odds_difference", "equal_opportunity_difference"]
        : (kind == .regression ? ["mae", "rmse", "mean_prediction"] : ["accuracy", "macro_f1"]).map { "\($0)_difference" }
      let named = fairness.namedMetrics()
      for section in fairness.sections {
        for name in headline {
          guard let estimate = named["fairness.\(section.name).\(name)"] else { continue }
          lines.append("  " + FairnessReport.padded("fairness.\(section.name).\(name)", 58) + FairnessReport.describe(estimate))
        }
        if section.fourFifthsRule?.flagged == true { lines.append("  fairness.\(section.name): four-fifths rule FLAGGED") }
        for group in section.insufficientGroups {
          lines.append("  fairness.\(section.name): \(group.name) has \(group.count) rows (insufficient data)")
        }
      }
    }
    if let robustness {
      lines.append("")
      lines.append("== robustness (clean accuracy \(Self.number(robustness.cleanAccuracy)))")
      lines.append("  " + FairnessReport.padded("perturbation", 38) + FairnessReport.padded("accuracy", 10)
                   + FairnessReport.padded("drop", 10) + "largest group drop")
      for outcome in robustness.outcomes {
        let reported = outcome.groups.filter { !$0.insufficientData && $0.count > 0 }
        let worst = reported.max { $0.accuracyDrop < $1.accuracyDrop }
        var line = "  " + FairnessReport.padded(outcome.name, 38) + FairnessReport.padded(Self.number(outcome.accuracy), 10)
          + FairnessReport.padded(Self.number(outcome.accuracyDrop), 10)
          + (worst.map { "\(Self.number($0.accuracyDrop)) (\($0.attribute)=\($0.group))" } ?? "n/a")
        if let value = outcome.empiricalRobustness { line += "   empirical robustness \(Self.number(value))" }
        lines.append(line)
      }
    }
    lines += headlineRobustnessLines()
    for note in notes ?? [] { lines.append("note: \(note)") }
    let undefined = namedMetrics.filter { !$0.value.isDefined }.count
    lines.append("")
    lines.append("\(namedMetrics.count) metrics (\(undefined) undefined) logged to the run; details in \(EvaluationWorkflow.artifactName(split: split))")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The threshold line and the binary performance metrics.
  func binaryPerformanceLines() -> [String] {
    var lines: [String] = []
    if let threshold {
      var thresholdLine = "threshold \(Self.number(threshold.threshold))"
      if let criterion = threshold.criterion {
        thresholdLine += " (chosen on validation by \(criterion.rawValue), \(criterion.rawValue) = \(Self.number(threshold.criterionValue)))"
      } else {
        thresholdLine += " (fixed)"
      }
      lines.append(thresholdLine)
    }
    lines.append("")
    lines.append("== performance")
    for name in ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "log_loss",
                 "brier_score", "expected_calibration_error"] {
      guard let estimate = performance?.metrics[name] else { continue }
      lines.append("  " + FairnessReport.padded("\(split).\(name)", 34) + FairnessReport.describe(estimate))
    }
    return lines
  }

  static func number(_ value: Double) -> String { value.isNaN ? "n/a" : String(format: "%.4f", value) }
}
