/// Parses the filter language into a `FilterExpression`.
///
/// ```
/// expression  := conjunction ('or' conjunction)*
/// conjunction := term ('and' term)*
/// term        := '(' expression ')' | value OP field OP value | predicate
/// predicate   := field OP value | field ['not'] 'in' list | field ['not'] 'between' value 'and' value
/// list        := '(' value (',' value)* ')'    (or square brackets)
/// OP          := = == != <> < <= > >= like
/// ```
/// Keywords are case-insensitive. A field is a run of letters, digits and `_ . - /`; other
/// characters go in backquotes, alone or as part of a field (`` metrics.`val loss` ``). Values
/// are numbers or quoted strings ('…' or "…"). A range `a <= x < b` takes two comparisons
/// pointing the same way. A hand-written recursive-descent parser over the text's characters.
public struct FilterParser<Field: Hashable & Sendable> {
  let text: String
  let characters: [Character]
  var position = 0
  /// Turns a field name (backquotes removed) into the user's field, or rejects it.
  let resolveField: (String) throws -> Field
  /// Rejects a literal a field cannot take (e.g. an unknown run status).
  let checkValue: (Field, FilterValue) throws -> Void

  /// - Parameters:
  ///   - resolveField: throws `FilterRejection` for a name the caller does not know.
  ///   - checkValue: throws `FilterRejection` for a literal the field cannot take.
  public init(_ text: String, resolveField: @escaping (String) throws -> Field,
              checkValue: @escaping (Field, FilterValue) throws -> Void = { _, _ in }) {
    self.text = text
    characters = Array(text)
    self.resolveField = resolveField
    self.checkValue = checkValue
  }

  /// Parses the whole text as one expression.
  /// - Throws: `FilterSyntaxError` naming the column where parsing stopped.
  public mutating func parse() throws -> FilterExpression<Field> {
    skipSpaces()
    guard position < characters.count else { throw error("the filter is empty", hint: "write a comparison such as \"age >= 18\"") }
    let expression = try parseDisjunction()
    skipSpaces()
    if position < characters.count {
      throw error(characters[position] == ")" ? "unmatched ')'" : "expected 'and', 'or' or the end of the filter")
    }
    return expression
  }

  /// Parses the whole text as one field (a sort key).
  public mutating func parseFieldOnly() throws -> Field {
    let field = try parseField()
    skipSpaces()
    if position < characters.count { throw error("unexpected '\(characters[position])'") }
    return field
  }

  // MARK: - Grammar

  mutating func parseDisjunction() throws -> FilterExpression<Field> {
    var parts = [try parseConjunction()]
    while consumeKeyword("or") { parts.append(try parseConjunction()) }
    return parts.count == 1 ? parts[0] : .any(parts)
  }

  mutating func parseConjunction() throws -> FilterExpression<Field> {
    var parts = [try parseTerm()]
    while consumeKeyword("and") { parts.append(try parseTerm()) }
    return parts.count == 1 ? parts[0] : .all(parts)
  }

  mutating func parseTerm() throws -> FilterExpression<Field> {
    skipSpaces()
    guard position < characters.count else { throw error("expected a comparison such as \"age >= 18\"") }
    if characters[position] == "(" {
      let start = position
      position += 1
      let inner = try parseDisjunction()
      skipSpaces()
      guard position < characters.count, characters[position] == ")" else { throw error("'(' at column \(start + 1) is not closed") }
      position += 1
      return inner
    }
    if startsValue() { return try parseRange() }
    return try parsePredicate()
  }

  /// `low OP field OP high`, both operators pointing the same way.
  mutating func parseRange() throws -> FilterExpression<Field> {
    let low = try parseValue()
    skipSpaces()
    let firstStart = position
    let first = try parseOperator()
    let field = try parseField()
    skipSpaces()
    let secondStart = position
    guard position < characters.count else {
      throw error("a range needs a second comparison, as in \"18 <= age < 65\"", hint: "for one comparison write the field first")
    }
    let second = try parseOperator()
    let high = try parseValue()
    let upward: Set<ComparisonOperator> = [.lessThan, .lessThanOrEqual]
    let downward: Set<ComparisonOperator> = [.greaterThan, .greaterThanOrEqual]
    for (comparison, start) in [(first, firstStart), (second, secondStart)] where !upward.contains(comparison) && !downward.contains(comparison) {
      throw error("a range takes < <= > or >=, found '\(comparison.rawValue)'", at: start)
    }
    guard upward.contains(first) == upward.contains(second) else {
      throw error("both comparisons of a range must point the same way (\"18 <= age < 65\")", at: secondStart)
    }
    let lower = FilterExpression<Field>.comparison(field, first.mirrored, low)
    let upper = FilterExpression<Field>.comparison(field, second, high)
    try check(field, low, at: firstStart)
    try check(field, high, at: secondStart)
    return .all([lower, upper])
  }

  mutating func parsePredicate() throws -> FilterExpression<Field> {
    let field = try parseField()
    skipSpaces()
    let start = position
    let negated = consumeKeyword("not")
    if consumeKeyword("in") {
      let values = try parseList()
      for value in values { try check(field, value, at: start) }
      return .membership(field, values, negated: negated)
    }
    if consumeKeyword("between") {
      let low = try parseValue()
      guard consumeKeyword("and") else { throw error("expected 'and' and the upper bound of 'between'") }
      let high = try parseValue()
      try check(field, low, at: start)
      try check(field, high, at: start)
      return negated ? .any([.comparison(field, .lessThan, low), .comparison(field, .greaterThan, high)])
                     : .all([.comparison(field, .greaterThanOrEqual, low), .comparison(field, .lessThanOrEqual, high)])
    }
    if negated { throw error("expected 'in' or 'between' after 'not'") }
    let comparison = try parseOperator()
    skipSpaces()
    let valueStart = position
    let value = try parseValue()
    try check(field, value, at: valueStart)
    return .comparison(field, comparison, value)
  }

  mutating func parseList() throws -> [FilterValue] {
    skipSpaces()
    let closers: [Character: Character] = ["(": ")", "[": "]"]
    guard position < characters.count, let closing = closers[characters[position]] else {
      throw error("expected a list in parentheses, as in \"sex in ('Female', 'Male')\"")
    }
    position += 1
    var values = [try parseValue()]
    while true {
      skipSpaces()
      guard position < characters.count else { throw error("expected ',' or '\(closing)' to end the list") }
      if characters[position] == closing {
        position += 1
        return values
      }
      guard characters[position] == "," else { throw error("expected ',' or '\(closing)' in the list") }
      position += 1
      values.append(try parseValue())
    }
  }

  mutating func parseField() throws -> Field {
    skipSpaces()
    let start = position
    guard position < characters.count else { throw error("expected a field") }
    var name = ""
    while position < characters.count {
      if isFieldCharacter(characters[position]) {
        name.append(characters[position])
        position += 1
      } else if characters[position] == "`" {
        let quoteStart = position
        position += 1
        while position < characters.count, characters[position] != "`" {
          name.append(characters[position])
          position += 1
        }
        guard position < characters.count else { throw error("unterminated backquoted name", at: quoteStart) }
        position += 1
      } else {
        break
      }
    }
    if name.isEmpty {
      // An empty backquoted name (``) ends at the end of the text.
      throw error(position < characters.count ? "expected a field, found '\(characters[position])'" : "expected a field name", at: start)
    }
    do {
      return try resolveField(name)
    } catch let rejection as FilterRejection {
      throw error(rejection.message, at: start)
    }
  }

  mutating func parseOperator() throws -> ComparisonOperator {
    skipSpaces()
    let start = position
    while position < characters.count, "=!<>".contains(characters[position]) { position += 1 }
    var token = String(characters[start..<position])
    if token.isEmpty { token = readWord().uppercased() }
    if token == "==" { return .equal }
    if token == "<>" { return .notEqual }
    if let comparison = ComparisonOperator(rawValue: token) { return comparison }
    throw error(token.isEmpty ? "expected a comparison operator (= != < <= > >= like, in, between)"
                              : "unknown operator '\(token)'; expected = != < <= > >= like, in or between", at: start)
  }

  mutating func parseValue() throws -> FilterValue {
    skipSpaces()
    guard position < characters.count else { throw error("expected a number or a quoted string") }
    let quote = characters[position]
    if quote == "'" || quote == "\"" {
      let start = position
      position += 1
      var value = ""
      while position < characters.count, characters[position] != quote {
        value.append(characters[position])
        position += 1
      }
      guard position < characters.count else { throw error("unterminated string", at: start) }
      position += 1
      return .text(value)
    }
    let start = position
    let word = readNumberWord()
    if let number = Double(word) { return .number(number) }
    if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" }) {
      throw error("expected a number or a quoted string", at: start, hint: "write '\(word)' in quotes")
    }
    throw error("expected a number or a quoted string", at: start)
  }

  // MARK: - Characters

  func error(_ message: String, at offset: Int? = nil, hint: String? = nil) -> FilterSyntaxError {
    FilterSyntaxError(text: text, offset: min(offset ?? position, characters.count), message: message, hint: hint)
  }

  func check(_ field: Field, _ value: FilterValue, at offset: Int) throws {
    do { try checkValue(field, value) } catch let rejection as FilterRejection { throw error(rejection.message, at: offset) }
  }

  func isFieldCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || "_.-/".contains(character)
  }

  mutating func skipSpaces() {
    while position < characters.count, characters[position].isWhitespace { position += 1 }
  }

  mutating func readWord() -> String {
    let start = position
    while position < characters.count, isFieldCharacter(characters[position]) { position += 1 }
    return String(characters[start..<position])
  }

  mutating func readNumberWord() -> String {
    let start = position
    if position < characters.count, "+-".contains(characters[position]) { position += 1 }
    while position < characters.count, characters[position].isLetter || characters[position].isNumber
            || ".+-_".contains(characters[position]) {
      position += 1
    }
    return String(characters[start..<position])
  }

  /// Whether a literal starts here: a quote, or a number (a range written value first).
  mutating func startsValue() -> Bool {
    guard position < characters.count else { return false }
    if characters[position] == "'" || characters[position] == "\"" { return true }
    let start = position
    defer { position = start }
    return Double(readNumberWord()) != nil
  }

  /// Consumes `keyword` (case-insensitive, as a whole word) when it comes next.
  mutating func consumeKeyword(_ keyword: String) -> Bool {
    skipSpaces()
    let start = position
    if readWord().lowercased() == keyword { return true }
    position = start
    return false
  }
}
