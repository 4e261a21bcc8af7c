import CSQLite
import Foundation
import KilnSQL

/// A prepared statement of one connection: bind its parameters, run it, read its rows.
///
/// Each call binds all of the statement's parameters afresh, so a cached statement carries
/// nothing over from its previous use. Used only under its connection's lock.
public final class SQLiteStatement {
  let handle: OpaquePointer
  /// The statement's SQL text.
  public let sql: String
  /// The result's column names, in order (empty for a statement that returns no rows).
  public let columnNames: [String]
  /// Whether the statement is between its first step and its reset.
  private(set) var isRunning = false

  init(handle: OpaquePointer, sql: String) {
    self.handle = handle
    self.sql = sql
    columnNames = (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
  }

  deinit {
    sqlite3_finalize(handle)
  }

  /// Runs the statement to its end, ignoring any rows.
  public func execute(arguments: SQLArguments = []) throws {
    try run(arguments) { }
  }

  /// Every row of the result.
  public func fetchAll(arguments: SQLArguments = []) throws -> [SQLRow] {
    var rows: [SQLRow] = []
    try run(arguments) { rows.append(currentRow()) }
    return rows
  }

  /// The first row of the result, or nil when there is none.
  public func fetchOne(arguments: SQLArguments = []) throws -> SQLRow? {
    var first: SQLRow?
    try run(arguments, stopAfterFirstRow: true) { first = currentRow() }
    return first
  }

  /// Calls `body` with each row in turn, without holding the whole result in memory.
  public func forEachRow(arguments: SQLArguments = [], _ body: (SQLRow) throws -> Void) throws {
    try run(arguments) { try body(currentRow()) }
  }

  /// Binds `arguments`, steps through the result calling `onRow` at each row, and resets the
  /// statement, also when a step or `onRow` throws.
  private func run(_ arguments: SQLArguments, stopAfterFirstRow: Bool = false, onRow: () throws -> Void) throws {
    isRunning = true
    defer {
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
      isRunning = false
    }
    try bind(arguments)
    while true {
      let result = sqlite3_step(handle)
      switch result {
      case SQLITE_ROW:
        try onRow()
        if stopAfterFirstRow { return }
      case SQLITE_DONE:
        return
      default:
        throw SQLiteError(resultCode: result, connection: sqlite3_db_handle(handle), sql: sql)
      }
    }
  }

  private func bind(_ arguments: SQLArguments) throws {
    let expected = Int(sqlite3_bind_parameter_count(handle))
    guard arguments.count == expected else {
      throw SQLiteError(code: .range, message: "the statement has \(expected) parameters, and \(arguments.count) arguments were given", sql: sql)
    }
    for (offset, argument) in arguments.enumerated() {
      let index = Int32(offset + 1)
      let result: Int32
      switch argument?.sqlValue ?? .null {
      case .null:
        result = sqlite3_bind_null(handle, index)
      case .integer(let value):
        result = sqlite3_bind_int64(handle, index, value)
      case .boolean(let value):
        result = sqlite3_bind_int64(handle, index, value ? 1 : 0)
      case .real(let value):
        result = sqlite3_bind_double(handle, index, value)
      case .text(let value):
        // Bound with its byte count, so a text holding NUL characters is bound whole; a null
        // pointer would bind NULL, so an empty text is bound from a literal.
        var text = value
        result = text.withUTF8 { bytes in
          guard let base = bytes.baseAddress else {
            return sqlite3_bind_text64(handle, index, "", 0, kiln_sqlite_transient(), UInt8(SQLITE_UTF8))
          }
          return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(bytes.count), kiln_sqlite_transient(), UInt8(SQLITE_UTF8))
          }
        }
      case .blob(let value) where value.isEmpty:
        // A blob bound from a null pointer would be NULL: an empty blob is a zero-filled one of length 0.
        result = sqlite3_bind_zeroblob(handle, index, 0)
      case .blob(let value):
        result = value.withUnsafeBytes { bytes in
          sqlite3_bind_blob64(handle, index, bytes.baseAddress, sqlite3_uint64(bytes.count), kiln_sqlite_transient())
        }
      }
      guard result == SQLITE_OK else { throw SQLiteError(resultCode: result, connection: sqlite3_db_handle(handle), sql: sql) }
    }
  }

  /// The values of the row the statement is on.
  private func currentRow() -> SQLRow {
    var values: [SQLValue] = []
    values.reserveCapacity(columnNames.count)
    for column in 0..<Int32(columnNames.count) {
      switch sqlite3_column_type(handle, column) {
      case SQLITE_INTEGER:
        values.append(.integer(sqlite3_column_int64(handle, column)))
      case SQLITE_FLOAT:
        values.append(.real(sqlite3_column_double(handle, column)))
      case SQLITE_TEXT:
        // Read the text's bytes with their length: the text may hold NUL characters.
        let count = Int(sqlite3_column_bytes(handle, column))
        let text = sqlite3_column_text(handle, column).map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) }
        values.append(.text(text ?? ""))
      case SQLITE_BLOB:
        let count = Int(sqlite3_column_bytes(handle, column))
        let bytes = sqlite3_column_blob(handle, column).map { Data(bytes: $0, count: count) }
        values.append(.blob(bytes ?? Data()))
      default:
        values.append(.null)
      }
    }
    return SQLRow(columnNames: columnNames, values: values, sql: sql)
  }
}
