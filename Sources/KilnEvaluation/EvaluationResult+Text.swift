import KilnOutput
import Foundation
import KilnMetrics
import KilnRobustness
import KilnConfiguration
import KilnTraining

extension EvaluationResult: CommandOutput {
  /// A summary for a terminal: performance with intervals (binary: with its threshold;
  /// multi-class: with the confusion matrix), the fairness audit's headline disparities, each
  /// perturbation's accuracy or RMSE, how much worse it got and the largest group worsening, and notes.
  public func text() -> String {
    var lines: [String] = []
    let run = runID.map { "run \($0.prefix(12)), " } ?? ""
    lines.append("Evaluation of \(run)split \(split): \(rowCount) rows, dataset \(datasetFingerprint.prefix(12))")
    lines += performanceLines()
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
    if let mitigation {
      let thresholds = mitigation.thresholds
      lines.append("")
      lines.append("== mitigation: group thresholds for \(thresholds.grouping) under \(thresholds.constraint.rawValue)"
                   + (thresholds.fitSplit.map { ", fitted on \($0)" } ?? "") + " (before → after)")
      for name in ["\(split).accuracy", "fairness.\(thresholds.grouping).\(thresholds.constraint.measure.rawValue)"] {
        guard let before = mitigation.unmitigatedMetrics[name], let after = namedMetrics[name] else { continue }
        lines.append("  " + FairnessReport.padded(name, 58) + FairnessReport.describe(before) + " → " + FairnessReport.describe(after))
      }
    }
    if let robustness {
      lines.append("")
      lines.append("== robustness (clean \(robustness.metric) \(Self.number(robustness.clean)))")
      lines.append("  " + FairnessReport.padded("perturbation", 38) + FairnessReport.padded(robustness.metric, 10)
                   + FairnessReport.padded(robustness.worsening, 16) + "largest group \(robustness.worsening)")
      for outcome in robustness.outcomes {
        let worst = outcome.groups.filter { !$0.insufficientData && $0.count > 0 }.max { $0.worsening < $1.worsening }
        var line = "  " + FairnessReport.padded(outcome.name, 38) + FairnessReport.padded(Self.number(outcome.value), 10)
          + FairnessReport.padded(Self.number(outcome.worsening), 16)
          + (worst.map { "\(Self.number($0.worsening)) (\($0.attribute)=\($0.group))" } ?? "n/a")
        if let value = outcome.empiricalRobustness { line += "   empirical robustness \(Self.number(value))" }
        lines.append(line)
      }
    }
    for note in notes ?? [] { lines.append("note: \(note)") }
    let undefined = namedMetrics.filter { !$0.value.isDefined }.count
    lines.append("")
    lines.append("\(namedMetrics.count) metrics (\(undefined) undefined) logged to the run; details in \(EvaluationWorkflow.artifactName(split: split))")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The head's line (a binary model's threshold; the others' label kind) and its performance metrics.
  func performanceLines() -> [String] {
    var lines: [String] = []
    if let threshold {
      var thresholdLine = "threshold \(Self.number(threshold.threshold))"
      if let criterion = threshold.criterion {
        thresholdLine += " (chosen on validation by \(criterion.rawValue), \(criterion.rawValue) = \(Self.number(threshold.criterionValue)))"
      } else {
        thresholdLine += " (fixed)"
      }
      lines.append(thresholdLine)
    } else if kind != .binary {
      lines.append("label: \(kind.rawValue)" + (multiclass.map { " (\($0.classNames.count) classes: \($0.classNames.joined(separator: ", ")))" } ?? ""))
    }
    lines.append("")
    lines.append("== performance")
    let names: [String]
    switch kind {
    case .binary: names = ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "log_loss",
                           "brier_score", "expected_calibration_error"]
    case .multiclass: names = MulticlassClassificationReport.metricNames
    case .regression: names = RegressionReport.metricNames
    }
    let metrics = performance?.metrics ?? multiclass?.metrics ?? regression?.metrics ?? [:]
    for name in names {
      guard let estimate = metrics[name] else { continue }
      lines.append("  " + FairnessReport.padded("\(split).\(name)", 34) + FairnessReport.describe(estimate))
    }
    if let multiclass {
      lines.append("")
      lines.append("== confusion matrix (rows: true class, columns: predicted)")
      let width = max(8, (multiclass.classNames.map(\.count).max() ?? 0) + 2)
      lines.append("  " + FairnessReport.padded("", width) + multiclass.classNames.map { FairnessReport.padded($0, width) }.joined())
      for (row, name) in multiclass.classNames.enumerated() {
        lines.append("  " + FairnessReport.padded(name, width) + multiclass.confusionMatrix[row].map { FairnessReport.padded(String($0), width) }.joined())
      }
    }
    return lines
  }

  static func number(_ value: Double) -> String { value.isNaN ? "n/a" : String(format: "%.4f", value) }
}
