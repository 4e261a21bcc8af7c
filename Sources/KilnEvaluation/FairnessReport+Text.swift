import KilnOutput
import Foundation
import KilnMetrics
import KilnConfiguration
import KilnTraining

extension FairnessReport: CommandOutput {
  /// The report as text for a terminal, whatever the label kind: per section, a table of groups
  /// with the overall row; then the named measures and the four-fifths rule (binary audits) or
  /// each metric's difference and ratio (other kinds), between groups and to overall, with their
  /// intervals; then small groups and undefined values.
  public func text() -> String {
    var lines: [String] = []
    var heading = "Fairness audit of " + (kind.map { $0 == "binary" ? "" : "a \($0) model, " } ?? "") + "\(rowCount) rows (minimum group size \(minimumGroupSize)"
    if let bootstrap {
      heading += "; \(Int((bootstrap.confidenceLevel * 100).rounded()))% intervals from \(bootstrap.resamples) stratified bootstrap resamples"
    }
    lines.append(heading + ")")
    for section in sections {
      lines.append("")
      lines.append("== \(section.name)")
      lines.append(contentsOf: groupTable(section))
      lines.append("")
      if let measures = section.measures {
        for measure in FairnessMeasure.allCases {
          guard let pair = measures[measure.rawValue] else { continue }
          lines.append("  " + Self.padded(measure.rawValue, 32) + Self.describe(pair.betweenGroups)
                       + "   to overall " + Self.describe(pair.toOverall))
        }
      } else {
        for metric in metrics ?? [] {
          for (kind, table) in [("difference", section.difference), ("ratio", section.ratio)] {
            guard let pair = table[metric] else { continue }
            lines.append("  " + Self.padded("\(metric)_\(kind)", 32) + Self.describe(pair.betweenGroups)
                         + "   to overall " + Self.describe(pair.toOverall))
          }
        }
      }
      if let rule = section.fourFifthsRule {
        lines.append("  four-fifths rule: selection-rate ratio \(Self.number(rule.ratio.value)) "
                     + (rule.flagged ? "FLAGGED (below \(rule.threshold) or undefined)" : "passes (at least \(rule.threshold))"))
      }
      for group in section.insufficientGroups {
        lines.append("  insufficient data: \(group.name) has \(group.count) rows (minimum \(minimumGroupSize)); left out of disparities")
      }
      for line in Self.undefinedLines(section) { lines.append("  undefined: " + line) }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The columns of a binary audit's group table, with their headings.
  static let binaryColumns: [(String, String)] = [
    ("count", "n"), ("selection_rate", "select"), ("true_positive_rate", "TPR"), ("false_positive_rate", "FPR"),
    ("precision", "precision"), ("accuracy", "accuracy"), ("roc_auc", "ROC AUC"),
  ]

  /// The groups of a section, one row each and the overall row last: a binary audit's chosen
  /// columns, or `n` and every metric.
  func groupTable(_ section: FairnessSection) -> [String] {
    let columns = hasMeasures ? Self.binaryColumns.filter { section.overall[$0.0] != nil }
                           : [("count", "n")] + (metrics ?? []).map { ($0, $0) }
    let columnWidth = hasMeasures ? 11 : 18
    let width = max(12, (section.groups.map(\.name.count).max() ?? 0) + 2)
    var lines = ["  " + Self.padded("group", width) + columns.map { Self.padded($0.1, columnWidth) }.joined()]
    func row(_ name: String, _ values: [String: MetricEstimate], suffix: String) -> String {
      "  " + Self.padded(name, width) + columns.map { metric, _ -> String in
        guard let estimate = values[metric] else { return Self.padded("", columnWidth) }
        let text = metric == "count" ? String(Int(estimate.value.isNaN ? 0 : estimate.value)) : Self.number(estimate.value)
        return Self.padded(text + (estimate.undefined == nil ? "" : "*"), columnWidth)
      }.joined() + suffix
    }
    for group in section.groups {
      let suffix = group.status == .reported ? "" : "  (\(group.status.rawValue.replacingOccurrences(of: "_", with: " ")))"
      lines.append(row(group.name, group.metrics, suffix: suffix))
    }
    var overall = section.overall
    if overall["count"] == nil { overall["count"] = MetricEstimate(value: Double(rowCount)) }
    lines.append(row("overall", overall, suffix: ""))
    return lines
  }

  static func undefinedLines(_ section: FairnessSection) -> [String] {
    var lines: [String] = []
    for group in section.groups where group.status == .reported {
      for (metric, estimate) in group.metrics.sorted(by: { $0.key < $1.key }) {
        if let reason = estimate.undefined { lines.append("\(group.name).\(metric) = \(number(estimate.value)): \(reason.explanation)") }
      }
    }
    return lines
  }

  static func describe(_ estimate: MetricEstimate) -> String {
    var text = number(estimate.value)
    if let interval = estimate.interval { text += " [\(number(interval.lower)), \(number(interval.upper))]" }
    if estimate.undefined != nil { text += " (undefined)" }
    return padded(text, 26)
  }

  static func number(_ value: Double) -> String { value.isNaN ? "n/a" : String(format: "%.4f", value) }

  static func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
