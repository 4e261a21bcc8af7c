import KilnTracking

extension JSONValue {
  /// The member `key` of an object, or nil.
  subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  var numberValue: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The value as short text for a table cell: strings as they are, numbers as listings print them.
  var cellText: String {
    switch self {
    case .null: return "-"
    case .bool(let value): return value ? "true" : "false"
    case .number(let value): return JSONValue.format(value)
    case .string(let value): return value
    case .array, .object: return canonicalText
    }
  }
}
