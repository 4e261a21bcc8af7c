import Foundation
import KilnFilter

/// A recipe's `filters:` compiled against the raw files' columns: a row is kept when it
/// satisfies every rule, and each rule counts the rows that reached it and the rows it kept.
///
/// Rules see the raw fields as the reader yields them (trimmed, `nil` for a `format.missing`
/// token), before labels are parsed or anything is encoded. A number literal compares the field as
/// a number, a quoted literal compares the text as written; a missing value satisfies no
/// comparison (SQL's NULL, as in `kiln runs list --where`).
public struct RowFilter: Sendable {
  /// One compiled rule and its tallies.
  public struct Rule: Sendable {
    /// The rule as written in the recipe.
    public var text: String
    /// Its line in the recipe (0 when unknown).
    public var line: Int
    /// Fields are column indices.
    var expression: FilterExpression<Int>
    public var rowsIn = 0
    public var rowsKept = 0
  }

  public private(set) var rules: [Rule]
  let columns: [String]
  let recipeFile: String

  /// Compiles the recipe's rules against `columns`.
  /// - Throws: `DatasetError` naming the recipe file, the rule's line, the rule and where in it
  ///   parsing stopped (an unknown column comes with the nearest name).
  public init(recipe: DatasetRecipe, columns: [String], recipeFile: String) throws {
    self.columns = columns
    self.recipeFile = recipeFile
    rules = try (recipe.filters ?? []).enumerated().map { index, text in
      let line = index < recipe.filterLines.count ? recipe.filterLines[index] : 0
      return Rule(text: text, line: line, expression: try RowFilter.compile(text, columns: columns, place: RowFilter.place(recipeFile, line, index)))
    }
  }

  /// `recipe.yaml:12: filters[1]`.
  package static func place(_ recipeFile: String, _ line: Int, _ index: Int) -> String {
    "\(recipeFile)\(line > 0 ? ":\(line)" : ""): filters[\(index)]"
  }

  /// Parses one rule; with `columns` nil, any field name is accepted (syntax only).
  package static func compile(_ text: String, columns: [String]?, place: String) throws -> FilterExpression<Int> {
    var parser = FilterParser<Int>(text, resolveField: { name in
      guard let columns else { return 0 }
      guard let index = columns.firstIndex(of: name) else {
        let hint = nearestName(to: name, in: columns).map { "did you mean '\($0)'?" } ?? "the columns are \(columns.joined(separator: ", "))"
        throw FilterRejection("unknown column '\(name)' (\(hint))")
      }
      return index
    })
    do { return try parser.parse() } catch let error as FilterSyntaxError {
      throw DatasetError(.invalidRecipe, "\(place) '\(text)': \(error.pointedOut())",
                         hint: error.hint(followedBy: "rules compare raw columns with numbers or quoted text: \"age >= 18\", \"sex in ('Female', 'Male')\", \"18 <= age < 65\"; see docs/DATASETS.md"))
    }
  }

  /// Whether a row passes every rule, counting it at each rule it reaches.
  /// - Parameters:
  ///   - fields: the row's fields in column order, `nil` for a missing value.
  ///   - file, line: where the row starts, for errors.
  /// - Throws: `DatasetError` when a rule compares a field that is not a number with a number.
  public mutating func admits(_ fields: [String?], file: String, line: Int) throws -> Bool {
    for index in rules.indices {
      rules[index].rowsIn += 1
      let kept = try evaluate(rules[index].expression, fields) { column, text in
        DatasetError(.unparsableNumber,
                     "\(file):\(line): field \(column + 1) ('\(columns[column])'): cannot compare '\(text)' with a number in \(RowFilter.place(recipeFile, rules[index].line, index)) '\(rules[index].text)'",
                     hint: "quote the literal to compare text, or add the token to format.missing")
      }
      guard kept else { return false }
      rules[index].rowsKept += 1
    }
    return true
  }

  /// Keeps the records of a table that pass every rule; a `missing` token is a missing value.
  mutating func filter(_ table: DelimitedTable, missing: Set<String>) throws -> DelimitedTable {
    guard !rules.isEmpty else { return table }
    var kept = table
    kept.records = []
    for record in table.records {
      let fields = record.fields.map { missing.contains($0) ? nil : $0 }
      guard try admits(fields, file: table.file, line: record.line) else { continue }
      kept.records.append(record)
    }
    return kept
  }

  /// The rules' tallies for the import report.
  public var report: [FilterReport] {
    rules.map { FilterReport(rule: $0.text, line: $0.line, rowsIn: $0.rowsIn, rowsKept: $0.rowsKept) }
  }

  private func evaluate(_ expression: FilterExpression<Int>, _ fields: [String?],
                        notANumber: (Int, String) -> DatasetError) throws -> Bool {
    switch expression {
    case .comparison(let column, let comparison, let value):
      guard let text = fields[column] else { return false }
      return try RowFilter.compare(text, comparison, value) { notANumber(column, text) }
    case .membership(let column, let values, let negated):
      guard let text = fields[column] else { return false }
      var found = false
      for value in values {
        found = try RowFilter.compare(text, .equal, value) { notANumber(column, text) }
        if found { break }
      }
      return found != negated
    case .all(let parts):
      for part in parts {
        guard try evaluate(part, fields, notANumber: notANumber) else { return false }
      }
      return true
    case .any(let parts):
      for part in parts {
        if try evaluate(part, fields, notANumber: notANumber) { return true }
      }
      return false
    }
  }

  /// Compares a present raw field with a literal: numerically for a number, as text otherwise.
  static func compare(_ text: String, _ comparison: ComparisonOperator, _ value: FilterValue,
                      notANumber: () -> DatasetError) throws -> Bool {
    switch value {
    case .number(let number):
      guard let field = Double(text) else { throw notANumber() }
      if comparison == .like { return like(text, String(number)) }
      return holds(comparison, field, number)
    case .text(let literal):
      if comparison == .like { return like(text, literal) }
      return holds(comparison, text, literal)
    }
  }

  static func holds<T: Comparable>(_ comparison: ComparisonOperator, _ left: T, _ right: T) -> Bool {
    switch comparison {
    case .equal: return left == right
    case .notEqual: return left != right
    case .lessThan: return left < right
    case .lessThanOrEqual: return left <= right
    case .greaterThan: return left > right
    case .greaterThanOrEqual: return left >= right
    case .like: return false
    }
  }

  /// SQL's `LIKE` as SQLite has it: `%` any run, `_` one character, ASCII letters case-insensitive.
  static func like(_ text: String, _ pattern: String) -> Bool {
    let text = Array(text.map { $0.isASCII ? Character($0.lowercased()) : $0 })
    let pattern = Array(pattern.map { $0.isASCII ? Character($0.lowercased()) : $0 })
    // Dynamic programming over (pattern position, text position).
    var matches = [Bool](repeating: false, count: text.count + 1)
    matches[0] = true
    for symbol in pattern {
      var next = [Bool](repeating: false, count: text.count + 1)
      if symbol == "%" {
        var reachable = false
        for position in 0...text.count {
          reachable = reachable || matches[position]
          next[position] = reachable
        }
      } else {
        for position in 0..<text.count where matches[position] && (symbol == "_" || symbol == text[position]) {
          next[position + 1] = true
        }
      }
      matches = next
    }
    return matches[text.count]
  }
}

/// One recipe rule's tallies: rows that reached it and rows it kept.
public struct FilterReport: Codable, Sendable, Equatable {
  public var rule: String
  /// The rule's line in the recipe.
  public var line: Int
  public var rowsIn: Int
  public var rowsKept: Int

  enum CodingKeys: String, CodingKey { case rule, line, rowsIn = "rows_in", rowsKept = "rows_kept" }
}
