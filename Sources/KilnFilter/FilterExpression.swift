/// A parsed filter: comparisons of fields with literals, `in` lists, joined by `and` and `or`.
///
/// The language is shared by `kiln runs list --where` (fields are metrics, params, tags and run
/// attributes) and dataset recipes' `filters:` (fields are raw columns); each user resolves field
/// names to its own `Field` type while parsing. Ranges (`a <= x < b`, `x between a and b`) parse
/// into `.all` of two comparisons.
public indirect enum FilterExpression<Field: Hashable & Sendable>: Hashable, Sendable {
  /// `field OP value`.
  case comparison(Field, ComparisonOperator, FilterValue)
  /// `field in (v1, v2, …)`, or `field not in (…)` when `negated`.
  case membership(Field, [FilterValue], negated: Bool)
  /// Every part holds (`and`).
  case all([FilterExpression])
  /// At least one part holds (`or`).
  case any([FilterExpression])

  /// The fields the expression mentions, in order of first mention.
  public var fields: [Field] {
    var result: [Field] = []
    func visit(_ expression: FilterExpression) {
      switch expression {
      case .comparison(let field, _, _), .membership(let field, _, _):
        if !result.contains(field) { result.append(field) }
      case .all(let parts), .any(let parts):
        parts.forEach(visit)
      }
    }
    visit(self)
    return result
  }
}

/// How a comparison relates a field to a value.
public enum ComparisonOperator: String, CaseIterable, Hashable, Sendable {
  case equal = "="
  case notEqual = "!="
  case lessThan = "<"
  case lessThanOrEqual = "<="
  case greaterThan = ">"
  case greaterThanOrEqual = ">="
  /// SQL's `LIKE`: `%` matches any run of characters, `_` one character, ASCII letters case-insensitively.
  case like = "LIKE"

  /// The operator with its sides swapped (`a < x` is `x > a`); `=`, `!=` and `like` are unchanged.
  var mirrored: ComparisonOperator {
    switch self {
    case .lessThan: return .greaterThan
    case .lessThanOrEqual: return .greaterThanOrEqual
    case .greaterThan: return .lessThan
    case .greaterThanOrEqual: return .lessThanOrEqual
    case .equal, .notEqual, .like: return self
    }
  }
}

/// A literal a field is compared with.
public enum FilterValue: Hashable, Sendable {
  case number(Double)
  case text(String)

  public var isNumber: Bool {
    if case .number = self { return true }
    return false
  }
}
