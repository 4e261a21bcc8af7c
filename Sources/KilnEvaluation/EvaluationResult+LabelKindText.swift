import Foundation
import KilnMetrics
import KilnConfiguration
import KilnTraining

extension EvaluationResult {
  /// The label and performance of a multi-class or regression evaluation.
  func labelKindPerformanceLines() -> [String] {
    var lines = ["label: \(kind.rawValue)" + (multiclass.map { " (\($0.classNames.count) classes: \($0.classNames.joined(separator: ", ")))" } ?? "")]
    lines.append("")
    lines.append("== performance")
    let names = kind == .regression ? RegressionReport.metricNames : MulticlassClassificationReport.metricNames
    let metrics = regression?.metrics ?? multiclass?.metrics ?? [:]
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

  /// The robustness of a multi-class or regression evaluation: its headline metric per perturbation.
  func headlineRobustnessLines() -> [String] {
    var lines: [String] = []
    if let robustness = headlineRobustness {
      lines.append("")
      lines.append("== robustness (clean \(robustness.metric) \(Self.number(robustness.clean)))")
      lines.append("  " + FairnessReport.padded("perturbation", 38) + FairnessReport.padded(robustness.metric, 10)
                   + FairnessReport.padded(robustness.worsening, 16) + "largest group \(robustness.worsening)")
      for outcome in robustness.outcomes {
        let worst = outcome.groups.filter { !$0.insufficientData && $0.count > 0 }.max { $0.worsening < $1.worsening }
        lines.append("  " + FairnessReport.padded(outcome.name, 38) + FairnessReport.padded(Self.number(outcome.value), 10)
                     + FairnessReport.padded(Self.number(outcome.worsening), 16)
                     + (worst.map { "\(Self.number($0.worsening)) (\($0.attribute)=\($0.group))" } ?? "n/a"))
      }
    }
    return lines
  }
}
