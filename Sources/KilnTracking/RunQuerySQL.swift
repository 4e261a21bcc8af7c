import KilnSQL
import KilnFilter

/// Translates a `RunQuery` into one SQL statement over the run tables.
enum RunQuerySQL {
  static func select(_ query: RunQuery, columns: String, dialect: SQLDialect) -> (String, SQLArguments) {
    var conditions: [String] = []
    var arguments: SQLArguments = []
    if !query.includeDeleted { conditions.append("r.deleted_at IS NULL") }
    if let experiment = query.experiment {
      conditions.append("e.name = ?")
      arguments += [experiment]
    }
    if let status = query.status {
      conditions.append("r.status = ?")
      arguments += [status.rawValue]
    }
    if let parent = query.parentID {
      conditions.append("r.parent_id = ?")
      arguments += [parent]
    }
    for (key, value) in query.tags.sorted(by: { $0.key < $1.key }) {
      conditions.append("EXISTS (SELECT 1 FROM tag t WHERE t.run_id = r.id AND t.key = ? AND t.value = ?)")
      arguments += [key, value]
    }
    if let filter = query.filter { conditions.append(condition(filter, arguments: &arguments, dialect: dialect)) }
    var joins = ""
    var joinArguments: SQLArguments = []
    var orderings: [String] = []
    let required = query.filter.map(requiredFields) ?? []
    for (index, sort) in query.sort.enumerated() {
      let direction = sort.descending ? "DESC" : "ASC"
      let (expression, expressionArguments) = self.expression(sort.field, numeric: false, dialect: dialect)
      switch sort.field {
      case .metric(let key):
        // A join rather than a subquery per run. When the filter already requires the metric, no
        // run lacks it: an inner join, whose order the (key, value) index gives, read either way,
        // so the first page of a large listing reads only its first rows.
        let alias = "s\(index)"
        let present = required.contains(sort.field)
        joins += " \(present ? "JOIN" : "LEFT JOIN") latest_metric \(alias) ON \(alias).run_id = r.id AND \(alias).key = ?"
        joinArguments += [key]
        orderings.append(present ? "\(alias).value \(direction)" : "\(alias).value \(direction) NULLS LAST")
      case .parameter where dialect == .postgreSQL, .tag where dialect == .postgreSQL:
        // Numbers written as text sort by value first (256 after 64), other text after them.
        orderings.append("\(dialect.number(expression)) \(direction) NULLS LAST")
        orderings.append("\(expression) \(direction) NULLS LAST")
        arguments += expressionArguments + expressionArguments
      case .parameter, .tag:
        // Numbers written as text sort by value first (256 after 64), other text after them.
        let number = "CAST(\(expression) AS REAL)"
        let integer = "CAST(\(expression) AS INTEGER)"
        orderings.append("(CASE WHEN \(number) || '' = \(expression) OR \(integer) || '' = \(expression) THEN \(number) END) \(direction) NULLS LAST")
        arguments += expressionArguments + expressionArguments + expressionArguments + expressionArguments + expressionArguments
        orderings.append("\(expression) \(direction) NULLS LAST")
        arguments += expressionArguments
      case .attribute:
        orderings.append("\(expression) \(direction) NULLS LAST")
        arguments += expressionArguments
      }
    }
    var sql = "SELECT \(columns) FROM run r JOIN experiment e ON e.id = r.experiment_id" + joins
    if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
    orderings.append("r.start_time DESC, r.id")
    sql += " ORDER BY " + orderings.joined(separator: ", ")
    if let limit = query.limit { sql += " LIMIT \(max(0, limit))" }
    if query.offset > 0 { sql += dialect.offset(query.offset, afterLimit: query.limit != nil) }
    return (sql, joinArguments + arguments)
  }

  /// The fields every run the filter selects has: a comparison or list of a field the run lacks
  /// is NULL, never true, so `and` requires the fields of each part and `or` those of all parts.
  static func requiredFields(_ filter: RunFilterExpression) -> Set<RunField> {
    switch filter {
    case .comparison(let field, _, _), .membership(let field, _, _): return [field]
    case .all(let parts): return parts.reduce(into: Set()) { $0.formUnion(requiredFields($1)) }
    case .any(let parts): return parts.dropFirst().reduce(parts.first.map(requiredFields) ?? []) { $0.intersection(requiredFields($1)) }
    }
  }

  /// The SQL expression for a field's value in the current run row `r`.
  static func expression(_ field: RunField, numeric: Bool, dialect: SQLDialect) -> (String, SQLArguments) {
    switch field {
    case .metric(let key):
      return ("(SELECT m.value FROM latest_metric m WHERE m.run_id = r.id AND m.key = ?)", [key])
    case .parameter(let key):
      let value = "(SELECT p.value FROM param p WHERE p.run_id = r.id AND p.key = ?)"
      return (numeric ? dialect.number(value) : value, [key])
    case .tag(let key):
      let value = "(SELECT t.value FROM tag t WHERE t.run_id = r.id AND t.key = ?)"
      return (numeric ? dialect.number(value) : value, [key])
    case .attribute(let attribute):
      switch attribute {
      case .id: return ("r.id", [])
      case .name: return ("r.name", [])
      case .experiment: return ("e.name", [])
      case .status: return ("r.status", [])
      case .startTime: return ("r.start_time", [])
      case .endTime: return ("r.end_time", [])
      case .seed: return ("r.seed", [])
      case .parent: return ("r.parent_id", [])
      }
    }
  }

  /// The SQL condition of a filter expression, its literals appended to `arguments` in order.
  /// A run without the field satisfies no comparison. A metric, parameter or tag is tested in
  /// its own table (`EXISTS`), which the planner can join, and estimate, as a whole, rather than
  /// read one run at a time; the filter has no `not`, so this selects the same runs as comparing
  /// a missing field's NULL.
  static func condition(_ filter: RunFilterExpression, arguments: inout SQLArguments, dialect: SQLDialect) -> String {
    switch filter {
    case .comparison(let field, let comparison, let value):
      let test = self.test(field, numeric: value.isNumber, dialect: dialect, arguments: &arguments) { "\($0) \(comparison.rawValue) ?" }
      arguments += [value.sqlValue]
      return test
    case .membership(let field, let values, let negated):
      let placeholders = values.map { _ in "?" }.joined(separator: ", ")
      let test = self.test(field, numeric: values.allSatisfy(\.isNumber), dialect: dialect, arguments: &arguments) {
        "\($0) \(negated ? "NOT IN" : "IN") (\(placeholders))"
      }
      for value in values { arguments += [value.sqlValue] }
      return test
    case .all(let parts):
      return "(" + parts.map { condition($0, arguments: &arguments, dialect: dialect) }.joined(separator: " AND ") + ")"
    case .any(let parts):
      return "(" + parts.map { condition($0, arguments: &arguments, dialect: dialect) }.joined(separator: " OR ") + ")"
    }
  }

  /// `predicate` applied to the field's comparable value: inside `EXISTS` over the field's table
  /// for a metric, parameter or tag (its key appended to `arguments`), else on the run's column.
  static func test(_ field: RunField, numeric: Bool, dialect: SQLDialect, arguments: inout SQLArguments,
                   _ predicate: (String) -> String) -> String {
    let keyed: (table: String, alias: String, key: String)
    switch field {
    case .metric(let key): keyed = ("latest_metric", "m", key)
    case .parameter(let key): keyed = ("param", "p", key)
    case .tag(let key): keyed = ("tag", "t", key)
    case .attribute:
      return predicate(comparable(expression(field, numeric: false, dialect: dialect).0, field: field, numeric: numeric, dialect: dialect))
    }
    arguments += [keyed.key]
    let value = comparable("\(keyed.alias).value", field: field, numeric: numeric, dialect: dialect)
    return "EXISTS (SELECT 1 FROM \(keyed.table) \(keyed.alias) WHERE \(keyed.alias).run_id = r.id AND \(keyed.alias).key = ? AND \(predicate(value)))"
  }

  /// A field's value for comparing with a number (`numeric`: a parameter's or tag's text read as
  /// a number) or with text. PostgreSQL does not compare a number with text, so there a numeric
  /// field compared with text is read as text (SQLite compares them, and they are never equal).
  static func comparable(_ value: String, field: RunField, numeric: Bool, dialect: SQLDialect) -> String {
    switch field {
    case .parameter, .tag:
      return numeric ? dialect.number(value) : value
    case .metric, .attribute(.startTime), .attribute(.endTime), .attribute(.seed):
      return dialect == .postgreSQL && !numeric ? "CAST(\(value) AS TEXT)" : value
    case .attribute:
      return value
    }
  }
}

extension FilterValue {
  var sqlValue: SQLValue {
    switch self {
    case .number(let number): return .real(number)
    case .text(let text): return .text(text)
    }
  }
}
