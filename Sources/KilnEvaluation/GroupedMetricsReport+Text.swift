import Foundation
import KilnMetrics
import KilnConfiguration
import KilnTraining

extension GroupedMetricsReport {
  /// The report as text for a terminal: per section, a table of groups with each metric, then
  /// each metric's difference and ratio (between groups and to overall) with intervals.
  public func renderedText() -> String {
    var heading = "Fairness by group of a \(kind) model, \(rowCount) rows (minimum group size \(minimumGroupSize)"
    if let bootstrap {
      heading += "; \(Int((bootstrap.confidenceLevel * 100).rounded()))% intervals from \(bootstrap.resamples) bootstrap resamples"
    }
    var lines = [heading + ")"]
    for section in sections {
      lines.append("")
      lines.append("== \(section.name)")
      let width = max(12, (section.groups.map(\.name.count).max() ?? 0) + 2)
      lines.append("  " + FairnessReport.padded("group", width) + (["n"] + metrics).map { FairnessReport.padded($0, 18) }.joined())
      func row(_ name: String, _ values: [String: MetricEstimate], count: Int, suffix: String) -> String {
        "  " + FairnessReport.padded(name, width) + FairnessReport.padded(String(count), 18) + metrics.map { metric -> String in
          guard let estimate = values[metric] else { return FairnessReport.padded("", 18) }
          return FairnessReport.padded(FairnessReport.number(estimate.value) + (estimate.undefined == nil ? "" : "*"), 18)
        }.joined() + suffix
      }
      for group in section.groups {
        let suffix = group.status == .reported ? "" : "  (\(group.status.rawValue.replacingOccurrences(of: "_", with: " ")))"
        lines.append(row(group.name, group.metrics, count: group.count, suffix: suffix))
      }
      lines.append(row("overall", section.overall, count: rowCount, suffix: ""))
      lines.append("")
      for metric in metrics {
        for (kind, table) in [("difference", section.difference), ("ratio", section.ratio)] {
          guard let pair = table[metric] else { continue }
          lines.append("  " + FairnessReport.padded("\(metric)_\(kind)", 32) + FairnessReport.describe(pair.betweenGroups)
                       + "   to overall " + FairnessReport.describe(pair.toOverall))
        }
      }
      for group in section.groups where group.status == .reported {
        for (metric, estimate) in group.metrics.sorted(by: { $0.key < $1.key }) {
          if let reason = estimate.undefined {
            lines.append("  undefined: \(group.name).\(metric) = \(FairnessReport.number(estimate.value)): \(reason.explanation)")
          }
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The report as JSON (sorted keys, NaN as null).
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return try encoder.encode(self)
  }
}
