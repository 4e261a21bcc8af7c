import Foundation
import KilnMetrics
import KilnConfiguration
import KilnTraining

extension FairnessReport {
  /// The report as text for a terminal: per section, a table of groups, then the measures with
  /// their intervals, the four-fifths rule, small groups and undefined values.
  public func renderedText() -> String {
    var lines: [String] = []
    var heading = "Fairness audit of \(rowCount) rows (minimum group size \(minimumGroupSize)"
    if let bootstrap {
      heading += "; \(Int((bootstrap.confidenceLevel * 100).rounded()))% intervals from \(bootstrap.resamples) stratified bootstrap resamples"
    }
    lines.append(heading + ")")
    for section in sections {
      lines.append("")
      lines.append("== \(section.name)")
      lines.append(contentsOf: Self.groupTable(section))
      lines.append("")
      for measure in FairnessMeasure.allCases {
        guard let pair = section.measures[measure.rawValue] else { continue }
        lines.append("  " + Self.padded(measure.rawValue, 32) + Self.describe(pair.betweenGroups)
                     + "   to overall " + Self.describe(pair.toOverall))
      }
      let rule = section.fourFifthsRule
      lines.append("  four-fifths rule: selection-rate ratio \(Self.number(rule.ratio.value)) "
                   + (rule.flagged ? "FLAGGED (below \(rule.threshold) or undefined)" : "passes (at least \(rule.threshold))"))
      for group in section.insufficientGroups {
        lines.append("  insufficient data: \(group.name) has \(group.count) rows (minimum \(minimumGroupSize)); left out of disparities")
      }
      for line in Self.undefinedLines(section) { lines.append("  undefined: " + line) }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static let tableMetrics: [(GroupMetric, String)] = [
    (.count, "n"), (.selectionRate, "select"), (.truePositiveRate, "TPR"), (.falsePositiveRate, "FPR"),
    (.precision, "precision"), (.accuracy, "accuracy"), (.rocAUC, "ROC AUC"),
  ]

  static func groupTable(_ section: FairnessSection) -> [String] {
    let columns = tableMetrics.filter { section.overall[$0.0.rawValue] != nil }
    let width = max(12, (section.groups.map(\.name.count).max() ?? 0) + 2)
    var lines = ["  " + padded("group", width) + columns.map { padded($0.1, 11) }.joined()]
    func row(_ name: String, _ metrics: [String: MetricEstimate], suffix: String) -> String {
      "  " + padded(name, width) + columns.map { metric, _ -> String in
        guard let estimate = metrics[metric.rawValue] else { return padded("", 11) }
        let text = metric == .count ? String(Int(estimate.value.isNaN ? 0 : estimate.value)) : number(estimate.value)
        return padded(text + (estimate.undefined == nil ? "" : "*"), 11)
      }.joined() + suffix
    }
    for group in section.groups {
      let suffix = group.status == .reported ? "" : "  (\(group.status.rawValue.replacingOccurrences(of: "_", with: " ")))"
      lines.append(row(group.name, group.metrics, suffix: suffix))
    }
    lines.append(row("overall", section.overall, suffix: ""))
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

  /// The report as JSON (sorted keys, NaN as null).
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return try encoder.encode(self)
  }
}
