import KilnReport
import KilnTracking

/// A run's evaluation (`evaluation.json`) as HTML: the named metrics with their intervals, then
/// each report (performance, fairness by group, robustness) as nested tables. The document is
/// read as JSON, not decoded into the evaluator's types, so the UI shows whatever the evaluation
/// recorded without depending on the trainer.
enum EvaluationSection {
  static func html(_ document: JSONValue) -> String {
    var html = "<p>Split <b>\(escapeHTML(document["split"]?.cellText ?? "-"))</b>, \(escapeHTML(document["row_count"]?.cellText ?? "-")) rows.</p>\n"
    if case .object(let metrics)? = document["metrics"] {
      html += HTMLPage.table(header: ["Metric", "Value", "Lower", "Upper", "Note"], rows: metrics.sorted { $0.key < $1.key }.map { name, estimate in [escapeHTML(name), escapeHTML(estimate["value"]?.cellText ?? "-"),
                escapeHTML(estimate["interval"]?["lower"]?.cellText ?? ""), escapeHTML(estimate["interval"]?["upper"]?.cellText ?? ""),
                escapeHTML(estimate["undefined"]?.cellText ?? estimate["detail"]?.cellText ?? "")]
      })
    }
    for section in ["fairness", "robustness", "performance", "multiclass", "regression"] {
      guard let value = document[section], value != .null else { continue }
      html += "<details\(section == "fairness" ? " open" : "")><summary>\(escapeHTML(section.capitalized))</summary>\n\(nested(value, depth: 0))</details>\n"
    }
    return html
  }

  /// Any JSON value as nested tables (objects), lists (arrays of objects become tables with the
  /// union of their keys as columns) or escaped text; deep values are shown as JSON text.
  static func nested(_ value: JSONValue, depth: Int) -> String {
    guard depth < 4 else { return "<code>\(escapeHTML(value.canonicalText))</code>" }
    switch value {
    case .object(let members):
      return HTMLPage.table(header: ["", ""], rows: members.sorted { $0.key < $1.key }.map { [escapeHTML($0.key), nested($0.value, depth: depth + 1)] })
    case .array(let items):
      let objects = items.compactMap { item -> [String: JSONValue]? in if case .object(let members) = item { return members } else { return nil } }
      if !objects.isEmpty, objects.count == items.count {
        let keys = Array(Set(objects.flatMap(\.keys))).sorted()
        return HTMLPage.table(header: keys.map(escapeHTML), rows: objects.map { object in keys.map { object[$0].map { nested($0, depth: depth + 1) } ?? "" } })
      }
      return escapeHTML(items.map(\.cellText).joined(separator: ", "))
    default:
      return escapeHTML(value.cellText)
    }
  }
}
