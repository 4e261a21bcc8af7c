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

  /// The value as short text for a table cell: a parameter's text, `-` for null.
  var cellText: String { self == .null ? "-" : parameterText }
}
