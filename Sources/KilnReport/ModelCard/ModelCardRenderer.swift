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

  /// "[lower, upper]" or "—".
  static func format(_ interval: ConfidenceInterval?) -> String {
    guard let interval, interval.lower.isFinite, interval.upper.isFinite else { return "—" }
    return "[\(format(interval.lower)), \(format(interval.upper))]"
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
}
