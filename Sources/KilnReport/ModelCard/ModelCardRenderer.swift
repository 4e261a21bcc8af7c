import Foundation
import KilnMetrics

/// Renders a `ModelCardInput` as Markdown, self-contained HTML and Model Card Toolkit JSON.
///
/// Every output is a pure function of the input: same input, same bytes.
public enum ModelCardRenderer {
  /// A number with four decimals, "—" when NaN; the form every table uses.
  static func format(_ value: Double?) -> String {
    guard let value, !value.isNaN else { return "—" }
    if value.isInfinite { return value > 0 ? "∞" : "−∞" }
    return String(format: "%.4f", value)
  }

  /// "[lower, upper]" or "—"; a disparity whose BCa interval is undefined says that its
  /// percentile interval stands in (and may not contain the estimate).
  static func format(_ interval: ConfidenceInterval?) -> String {
    guard let interval, interval.lower.isFinite, interval.upper.isFinite else { return "—" }
    let flag = interval.method == .percentileBCaUndefined ? " (percentile: BCa undefined)" : ""
    return "[\(format(interval.lower)), \(format(interval.upper))]" + flag
  }

  /// The interval a card shows for an estimate: none for an undefined value, whose resamples
  /// say nothing about a number that does not exist.
  static func shownInterval(_ estimate: MetricEstimate) -> ConfidenceInterval? {
    estimate.isDefined ? estimate.interval : nil
  }

  /// The estimate's value, or why it is undefined.
  static func value(_ estimate: MetricEstimate) -> String {
    if let reason = estimate.undefined { return "undefined (\(reason.explanation))" }
    return format(estimate.value)
  }

  /// The gate column of a metric row: "≥ 0.84: pass", or "—" without a gate.
  static func gateCell(_ results: [GateResult]) -> String {
    guard !results.isEmpty else { return "—" }
    return results.map { result in
      // A gate without a threshold (no champion yet, or a metric that failed closed) shows its rule.
      guard let limit = result.threshold else { return "\(result.gate.summary): \(result.outcome.rawValue)" }
      return "\(comparison(result.gate)) \(format(limit)) (\(result.gate.bound.rawValue)): \(result.outcome.rawValue)"
    }.joined(separator: "; ")
  }

  static func comparison(_ gate: Gate) -> String {
    switch gate.threshold {
    case .atLeast, .versusChampion, .versusChampionRelative: return "≥"
    case .atMost: return "≤"
    case .range: return "within"
    }
  }

  static func date(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  /// Group metrics in display order: attribute, group, metric.
  static func sortedGroups(_ input: ModelCardInput) -> [ModelCardInput.GroupMetric] {
    input.groupMetrics.sorted { ($0.attribute, $0.metric, $0.group) < ($1.attribute, $1.metric, $1.group) }
  }

  /// The approval line of a card: who approved, and whether the approval is signed.
  static func approvalText(_ input: ModelCardInput) -> String {
    input.approval?.summary ?? "none (no approval recorded for this stage)"
  }

  /// The by-group table: one row per group of each attribute (unitary and intersectional), one
  /// column per metric in first-listed order. A cell is the value and, when it is defined, its
  /// interval; an empty group's cells say "no rows".
  static func groupTable(_ input: ModelCardInput) -> (metrics: [String], rows: [(attribute: String, group: String, count: Int, cells: [String])]) {
    struct Row { var attribute: String; var group: String; var count: Int; var cells: [String: String] }
    var metrics: [String] = [], rows: [Row] = [], index: [String: Int] = [:]
    for metric in input.groupMetrics {
      if !metrics.contains(metric.metric) { metrics.append(metric.metric) }
      let key = "\(metric.attribute)\u{1}\(metric.group)"
      let position = index[key] ?? rows.count
      if position == rows.count {
        index[key] = position
        rows.append(Row(attribute: metric.attribute, group: metric.group, count: metric.count, cells: [:]))
      }
      let interval = shownInterval(metric.estimate).map { " " + format($0) } ?? ""
      rows[position].cells[metric.metric] = metric.count == 0 ? "no rows" : value(metric.estimate) + interval
    }
    let ordered = rows.sorted { ($0.attribute, $0.group) < ($1.attribute, $1.group) }
    return (metrics, ordered.map { row in (row.attribute, row.group, row.count, metrics.map { row.cells[$0] ?? "—" }) })
  }
}
