import Foundation
import KilnFilter

/// A `--where` filter over runs.
public typealias RunFilterExpression = FilterExpression<RunField>

/// The `--where` filter language (KilnFilter's, shared with dataset recipes' `filters:`):
/// comparisons, ranges, `in` lists, joined by `and` and `or`, grouped by parentheses.
///
/// ```
/// metrics.test.accuracy > 0.85 and (params.training.batch_size in (128, 256) or status = 'running')
/// ```
/// A field is `metrics.KEY`, `params.KEY`, `tags.KEY` or an attribute (`status`, `name`,
/// `experiment`, `id`, `seed`, `parent`, `start_time`, `end_time`); a key with other characters than
/// letters, digits, `_ . - /` is written in backquotes. Operators: `= != < <= > >= like`, `in (…)`,
/// `not in (…)`, `between … and …`, and ranges `0.8 <= metrics.test.accuracy < 0.9`. Values are
/// numbers or quoted strings. A run without the field satisfies no comparison (SQL's NULL).
/// Errors name the 1-based column where parsing stopped.
public enum RunFilter {
  /// Parses a filter expression.
  public static func parse(_ text: String) throws -> RunFilterExpression {
    var parser = FilterParser(text, resolveField: resolveField, checkValue: checkValue)
    do { return try parser.parse() } catch let error as FilterSyntaxError {
      throw TrackingError(.invalidFilter, error.pointedOut(),
                          hint: error.hint(followedBy: "write comparisons such as \"metrics.test.accuracy > 0.85 and params.training.batch_size = 256\""))
    }
  }

  /// Parses a sort key: a field, preceded by `-` for descending order (`-metrics.test.accuracy`).
  public static func parseSort(_ text: String) throws -> RunSort {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let descending = trimmed.hasPrefix("-")
    let body = descending || trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed
    var parser = FilterParser(body, resolveField: resolveField)
    do {
      return RunSort(try parser.parseFieldOnly(), descending: descending)
    } catch let error as FilterSyntaxError {
      throw TrackingError(.invalidSort, error.pointedOut(as: "sort key"),
                          hint: error.hint(followedBy: "sort by a field such as '-metrics.test.accuracy' or 'start_time'"))
    }
  }

  /// `metrics.KEY`, `params.KEY`, `tags.KEY` (the key may have been backquoted) or an attribute.
  static func resolveField(_ name: String) throws -> RunField {
    let lowered = name.lowercased()
    for (prefix, make) in [("metrics.", RunField.metric), ("params.", RunField.parameter), ("tags.", RunField.tag)] as [(String, (String) -> RunField)] {
      guard lowered.hasPrefix(prefix) || lowered == String(prefix.dropLast()) else { continue }
      let key = String(name.dropFirst(prefix.count))
      if key.isEmpty { throw FilterRejection("expected a key after '\(prefix)'") }
      return make(key)
    }
    let attributeName = lowered.hasPrefix("attributes.") ? String(lowered.dropFirst("attributes.".count)) : lowered
    if let attribute = RunAttribute(rawValue: attributeName) { return .attribute(attribute) }
    throw FilterRejection("unknown field '\(name)'; expected metrics.KEY, params.KEY, tags.KEY or one of \(RunAttribute.allCases.map(\.rawValue).joined(separator: ", "))")
  }

  /// A status compared with text must be one of the run statuses.
  static func checkValue(_ field: RunField, _ value: FilterValue) throws {
    if case .attribute(.status) = field, case .text(let status) = value, RunStatus(rawValue: status) == nil {
      throw FilterRejection("unknown status '\(status)'; expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
    }
  }
}
