import Foundation

/// The `--where` filter language: comparisons joined by `and`.
///
/// ```
/// metrics.test.accuracy > 0.85 and params.training.batch_size = 256 and status = 'finished'
/// ```
/// A field is `metrics.KEY`, `params.KEY`, `tags.KEY` or an attribute (`status`, `name`,
/// `experiment`, `id`, `seed`, `parent`, `start_time`, `end_time`); a key with other characters than
/// letters, digits, `_ . - /` is written in backquotes. Operators: `= != < <= > >= like`. Values are
/// numbers or quoted strings. Errors name the 1-based column where parsing stopped.
public enum RunFilter {
  /// Parses a filter expression into the predicates it joins.
  public static func parse(_ text: String) throws -> [RunPredicate] {
    var parser = FilterParser(text)
    return try parser.parseConjunction()
  }

  /// Parses a sort key: a field, preceded by `-` for descending order (`-metrics.test.accuracy`).
  public static func parseSort(_ text: String) throws -> RunSort {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let descending = trimmed.hasPrefix("-")
    let body = descending || trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed
    var parser = FilterParser(body)
    do {
      let field = try parser.parseField()
      try parser.expectEnd()
      return RunSort(field, descending: descending)
    } catch let error as TrackingError {
      throw TrackingError(.invalidSort, error.message.replacingOccurrences(of: "filter", with: "sort key"),
                          hint: "sort by a field such as '-metrics.test.accuracy' or 'start_time'")
    }
  }
}

/// A hand-written recursive-descent parser over the filter text's characters.
struct FilterParser {
  let text: String
  let characters: [Character]
  var position = 0

  init(_ text: String) {
    self.text = text
    self.characters = Array(text)
  }

  func error(_ message: String, at column: Int? = nil) -> TrackingError {
    let column = column ?? position
    let caret = String(repeating: " ", count: column) + "^"
    return TrackingError(.invalidFilter, "filter error at column \(column + 1): \(message)\n  \(text)\n  \(caret)",
                         hint: "write comparisons such as \"metrics.test.accuracy > 0.85 and params.training.batch_size = 256\"")
  }

  mutating func skipSpaces() {
    while position < characters.count, characters[position].isWhitespace { position += 1 }
  }

  mutating func parseConjunction() throws -> [RunPredicate] {
    var predicates = [try parseComparison()]
    while true {
      skipSpaces()
      if position >= characters.count { return predicates }
      let start = position
      let word = readWord()
      guard word.lowercased() == "and" else {
        throw error(word.lowercased() == "or" ? "'or' is not supported; only 'and' joins comparisons"
                                              : "expected 'and' or the end of the filter", at: start)
      }
      predicates.append(try parseComparison())
    }
  }

  mutating func parseComparison() throws -> RunPredicate {
    let field = try parseField()
    let comparison = try parseOperator()
    let value = try parseValue()
    if case .attribute(.status) = field, case .text(let status) = value, RunStatus(rawValue: status) == nil {
      throw error("unknown status '\(status)'; expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                  at: position - status.count - 2)
    }
    return RunPredicate(field, comparison, value)
  }

  mutating func readWord() -> String {
    let start = position
    while position < characters.count, isKeyCharacter(characters[position]) { position += 1 }
    return String(characters[start..<position])
  }

  func isKeyCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || "_.-/".contains(character)
  }

  mutating func parseField() throws -> RunField {
    skipSpaces()
    let start = position
    guard position < characters.count else { throw error("expected a field such as 'metrics.test.accuracy'") }
    if characters[position] == "`" { throw error("a field starts with metrics., params., tags. or an attribute name") }
    let word = readWord()
    if word.isEmpty { throw error("expected a field, found '\(characters[position])'") }
    for (prefix, make) in [("metrics.", RunField.metric), ("params.", RunField.parameter), ("tags.", RunField.tag)] as [(String, (String) -> RunField)] {
      guard word.lowercased().hasPrefix(prefix) || word.lowercased() == String(prefix.dropLast()) else { continue }
      var key = String(word.dropFirst(prefix.count))
      if word.count == prefix.count - 1 || (key.isEmpty && position < characters.count && characters[position] == "`") {
        if word.count == prefix.count - 1 {
          guard position < characters.count, characters[position] == "." else { throw error("expected '.' and a key after '\(word)'") }
          position += 1
        }
        key = try parseQuotedKey()
      }
      if key.isEmpty { throw error("expected a key after '\(prefix)'", at: start + prefix.count) }
      return make(key)
    }
    let attributeName = word.lowercased().hasPrefix("attributes.") ? String(word.dropFirst("attributes.".count)) : word
    if let attribute = RunAttribute(rawValue: attributeName.lowercased()) { return .attribute(attribute) }
    throw error("unknown field '\(word)'; expected metrics.KEY, params.KEY, tags.KEY or one of \(RunAttribute.allCases.map(\.rawValue).joined(separator: ", "))",
                at: start)
  }

  mutating func parseQuotedKey() throws -> String {
    guard position < characters.count, characters[position] == "`" else { throw error("expected a key") }
    let start = position
    position += 1
    while position < characters.count, characters[position] != "`" { position += 1 }
    guard position < characters.count else { throw error("unterminated backquoted key", at: start) }
    position += 1
    return String(characters[(start + 1)..<(position - 1)])
  }

  mutating func parseOperator() throws -> ComparisonOperator {
    skipSpaces()
    let start = position
    let symbols = "=!<>"
    while position < characters.count, symbols.contains(characters[position]) { position += 1 }
    var token = String(characters[start..<position])
    if token.isEmpty { token = readWord().uppercased() }
    if token == "==" { return .equal }
    if token == "<>" { return .notEqual }
    if let comparison = ComparisonOperator(rawValue: token) { return comparison }
    throw error(token.isEmpty ? "expected a comparison operator (= != < <= > >= like)"
                              : "unknown operator '\(token)'; expected = != < <= > >= or like", at: start)
  }

  mutating func parseValue() throws -> FilterValue {
    skipSpaces()
    guard position < characters.count else { throw error("expected a number or a quoted string") }
    let first = characters[position]
    if first == "'" || first == "\"" {
      let start = position
      position += 1
      var value = ""
      while position < characters.count, characters[position] != first {
        value.append(characters[position])
        position += 1
      }
      guard position < characters.count else { throw error("unterminated string", at: start) }
      position += 1
      return .text(value)
    }
    let start = position
    let word = readWordWithSign()
    if let number = Double(word) { return .number(number) }
    if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0 == "_" }) {
      throw error("expected a number or a quoted string; write '\(word)' in quotes", at: start)
    }
    throw error("expected a number or a quoted string", at: start)
  }

  mutating func readWordWithSign() -> String {
    let start = position
    if position < characters.count, "+-".contains(characters[position]) { position += 1 }
    while position < characters.count, characters[position].isLetter || characters[position].isNumber
            || ".+-_".contains(characters[position]) {
      position += 1
    }
    return String(characters[start..<position])
  }

  mutating func expectEnd() throws {
    skipSpaces()
    if position < characters.count { throw error("unexpected '\(characters[position])'") }
  }
}
