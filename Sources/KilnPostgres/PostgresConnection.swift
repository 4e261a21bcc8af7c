import CLibPQ
import Foundation
import KilnSQL

/// One connection to a PostgreSQL server through libpq, used synchronously.
///
/// Statements are written with `?` placeholders, like KilnSQLite's, and their values are always
/// sent apart from the text (`PQexecParams`): no value ever becomes part of the SQL. A connection
/// is used by one thread at a time; `PostgresDatabase` serialises its callers.
public final class PostgresConnection: SQLConnection {
  private let handle: OpaquePointer
  /// Whether a transaction is open (statements inside it commit together).
  public private(set) var isInTransaction = false
  /// Numbers the cursors of `forEachRow(sql:arguments:batchSize:_:)`.
  private var cursorCount = 0

  /// Connects to `url`.
  /// - Throws: `PostgresError` (`connectionFailed`) with libpq's reason, the password removed.
  public init(url: PostgresURL) throws {
    guard let handle = PQconnectdb(url.text) else {
      throw PostgresError(.connectionFailed, "cannot connect to \(url): libpq is out of memory")
    }
    guard PQstatus(handle) == CONNECTION_OK else {
      let reason = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
      PQfinish(handle)
      throw PostgresError(.connectionFailed, "cannot connect to \(url): \(PostgresURL.redacting(reason))")
    }
    kiln_pq_silence_notices(handle)
    self.handle = handle
  }

  deinit { PQfinish(handle) }

  public var dialect: SQLDialect { .postgreSQL }

  /// Runs one statement with arguments, or without arguments any number of statements (schema
  /// changes, `BEGIN`, `LOCK`), and returns how many rows the (last) statement changed.
  @discardableResult
  public func execute(sql: String, arguments: SQLArguments) throws -> Int {
    let result: OpaquePointer?
    if arguments.isEmpty {
      result = PQexec(handle, sql)
      do { try check(result, sql: sql) } catch { PQclear(result); throw error }
    } else {
      result = try run(sql, arguments)
    }
    defer { PQclear(result) }
    return Int(String(cString: PQcmdTuples(result))) ?? 0
  }

  /// Calls `body` with each row of a query, in order.
  public func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws {
    let result = try run(sql, arguments)
    defer { PQclear(result) }
    let columnCount = PQnfields(result)
    let names = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
    let types = (0..<columnCount).map { PQftype(result, $0) }
    for row in 0..<PQntuples(result) {
      let values = (0..<columnCount).map { column -> SQLValue in
        if PQgetisnull(result, row, column) == 1 { return .null }
        return SQLValue(postgresText: String(cString: PQgetvalue(result, row, column)), typeOID: types[Int(column)])
      }
      try body(SQLRow(columnNames: names, values: values, sql: sql))
    }
  }

  /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
  /// Calls `body` with each row of a query, in order, fetching `batchSize` rows at a time through
  /// a cursor, so that a result of any size is never held whole. The cursor lives in this
  /// connection's transaction, or in a repeatable-read one opened for it, so that queries `body`
  /// runs see the same snapshot as the rows.
  public func forEachRow(sql: String, arguments: SQLArguments, batchSize: Int, _ body: (SQLRow) throws -> Void) throws {
    let batchSize = max(1, batchSize)
    guard isInTransaction else {
      return try inTransaction(isolation: "ISOLATION LEVEL REPEATABLE READ") {
        try $0.forEachRow(sql: sql, arguments: arguments, batchSize: batchSize, body)
      }
    }
    cursorCount += 1
    let cursor = "kiln_rows_\(cursorCount)"
    try execute(sql: "DECLARE \(cursor) NO SCROLL CURSOR FOR " + sql, arguments: arguments)
    var fetched = batchSize
    while fetched == batchSize {
      fetched = 0
      try forEachRow(sql: "FETCH FORWARD \(batchSize) FROM \(cursor)", arguments: []) { row in
        fetched += 1
        try body(row)
      }
    }
    try execute(sql: "CLOSE \(cursor)")
  }

  public func inTransaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try inTransaction(isolation: nil, body)
  }

  /// Runs `body` in a transaction with the given characteristics (`ISOLATION LEVEL …`), or the
  /// session's.
  public func inTransaction<T>(isolation characteristics: String?, _ body: (PostgresConnection) throws -> T) throws -> T {
    precondition(!isInTransaction, "PostgresConnection.inTransaction: transactions do not nest")
    try execute(sql: "BEGIN" + (characteristics.map { " " + $0 } ?? ""))
    isInTransaction = true
    defer { isInTransaction = false }
    do {
      let value = try body(self)
      try execute(sql: "COMMIT")
      return value
    } catch {
      _ = try? execute(sql: "ROLLBACK")
      throw error
    }
  }

  /// `sql` with its `?` placeholders numbered `$1, $2, …` (a `?` inside quotes is left alone).
  static func numberingPlaceholders(_ sql: String) -> String {
    var result = ""
    result.reserveCapacity(sql.count + 16)
    var number = 0
    var quote: Character?
    for character in sql {
      if let open = quote {
        if character == open { quote = nil }
        result.append(character)
      } else if character == "'" || character == "\"" {
        quote = character
        result.append(character)
      } else if character == "?" {
        number += 1
        result += "$\(number)"
      } else {
        result.append(character)
      }
    }
    return result
  }

  private func run(_ sql: String, _ arguments: SQLArguments) throws -> OpaquePointer? {
    let values = arguments.map { $0?.sqlValue ?? .null }
    let types = values.map(\.postgresTypeOID)
    let texts = values.map { $0.postgresText.map { strdup($0) } ?? nil }
    defer { texts.forEach { free($0) } }
    let text = PostgresConnection.numberingPlaceholders(sql)
    let result = texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
      PQexecParams(handle, text, Int32(values.count), types, pointers.baseAddress, nil, nil, 0)
    }
    do {
      try check(result, sql: sql)
    } catch {
      PQclear(result)
      throw error
    }
    return result
  }

  private func check(_ result: OpaquePointer?, sql: String) throws {
    let status = PQresultStatus(result)
    guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
    let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
    let state = PQresultErrorField(result, kiln_pq_diag_sqlstate()).map { String(cString: $0) }
    throw PostgresError(.statementFailed, message.isEmpty ? "the statement failed" : message, sqlState: state,
                        sql: sql.count > 300 ? String(sql.prefix(300)) + "…" : sql)
  }
}
