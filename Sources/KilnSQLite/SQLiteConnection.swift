import CSQLite
import Foundation
import KilnSQL

/// One open SQLite connection: statements, queries and transactions.
///
/// A connection is not safe to share between threads by itself; `SQLiteDatabase` hands it out
/// under a lock, and everything in this file runs under that lock.
public final class SQLiteConnection: SQLConnection {
  let handle: OpaquePointer
  private var cachedStatements: [String: SQLiteStatement] = [:]
  /// How many prepared statements a connection keeps; past it the cache starts again (statements
  /// whose text varies, such as a multi-row insert's last chunk, would otherwise pile up).
  private static let statementCacheLimit = 64

  public var dialect: SQLDialect { .sqlite }

  /// Opens `uri` (an SQLite `file:` URI) with the `SQLITE_OPEN_*` `flags`.
  init(uri: String, flags: Int32, busyTimeout: TimeInterval) throws {
    var opened: OpaquePointer?
    let result = sqlite3_open_v2(uri, &opened, flags | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
    guard result == SQLITE_OK, let opened else {
      let error = SQLiteError(resultCode: result, connection: opened, sql: nil)
      // A failed open still allocates a handle (for its message), which must be closed.
      sqlite3_close_v2(opened)
      throw error
    }
    handle = opened
    sqlite3_extended_result_codes(handle, 1)
    sqlite3_busy_timeout(handle, Int32(clamping: Int64((busyTimeout * 1000).rounded())))
  }

  deinit {
    // Statements are finalized before the connection closes; the last connection to a WAL
    // database checkpoints it and removes its log.
    cachedStatements.removeAll()
    sqlite3_close_v2(handle)
  }

  // MARK: Statements

  /// Prepares one statement.
  /// - Throws: `SQLiteError` for SQL that does not compile, or that holds more than one statement.
  public func makeStatement(sql: String) throws -> SQLiteStatement {
    var statement: OpaquePointer?
    var holdsSeveral = false
    let result = sql.withCString { text in
      var tail: UnsafePointer<CChar>?
      let result = sqlite3_prepare_v2(handle, text, -1, &statement, &tail)
      holdsSeveral = result == SQLITE_OK && tail.map { !Self.isBlank($0) } ?? false
      return result
    }
    guard result == SQLITE_OK else { throw SQLiteError(resultCode: result, connection: handle, sql: sql) }
    guard let statement else { throw SQLiteError(code: .error, message: "the SQL text holds no statement", sql: sql) }
    guard !holdsSeveral else {
      sqlite3_finalize(statement)
      throw SQLiteError(code: .error, message: "a prepared statement holds one SQL statement; this text holds several", sql: sql)
    }
    return SQLiteStatement(handle: statement, sql: sql)
  }

  /// The statement for `sql`, prepared once per connection and reused; a statement still
  /// stepping through its rows (a query run again inside its own row loop) is not handed out twice.
  public func cachedStatement(sql: String) throws -> SQLiteStatement {
    if let statement = cachedStatements[sql] {
      return statement.isRunning ? try makeStatement(sql: sql) : statement
    }
    let statement = try makeStatement(sql: sql)
    if cachedStatements.count >= Self.statementCacheLimit { cachedStatements.removeAll() }
    cachedStatements[sql] = statement
    return statement
  }

  /// Runs `sql`: one statement with `arguments`, or, without arguments, any number of statements
  /// separated by semicolons (a migration's script).
  @discardableResult
  public func execute(sql: String, arguments: SQLArguments) throws -> Int {
    guard arguments.isEmpty else {
      try cachedStatement(sql: sql).execute(arguments: arguments)
      return changesCount
    }
    try sql.withCString { start in
      var next: UnsafePointer<CChar>? = start
      while let current = next, !Self.isBlank(current) {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v2(handle, current, -1, &statement, &next)
        guard result == SQLITE_OK else { throw SQLiteError(resultCode: result, connection: handle, sql: String(cString: current)) }
        // A stretch of comments compiles to no statement.
        guard let statement else {
          if next == current { break }
          continue
        }
        try SQLiteStatement(handle: statement, sql: sqlite3_sql(statement).map { String(cString: $0) } ?? "").execute()
      }
    }
    return changesCount
  }

  /// Calls `body` with each row of the query's result in turn.
  public func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws {
    try cachedStatement(sql: sql).forEachRow(arguments: arguments, body)
  }

  /// Calls `body` with each row in turn: SQLite steps through the result, so `batchSize` rows
  /// or more are never held.
  public func forEachRow(sql: String, arguments: SQLArguments, batchSize: Int, _ body: (SQLRow) throws -> Void) throws {
    try forEachRow(sql: sql, arguments: arguments, body)
  }

  /// The rowid of the last row this connection inserted.
  public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

  /// How many rows the last INSERT, UPDATE or DELETE of this connection changed.
  public var changesCount: Int { Int(sqlite3_changes(handle)) }

  /// Whether a transaction is open (SQLite rolls some back by itself after an error).
  public var isInsideTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

  // MARK: Transactions

  /// How a transaction takes its locks.
  public enum TransactionKind: String, Sendable {
    /// Takes a read snapshot at its first read, and the write lock only at its first write.
    case deferred = "DEFERRED"
    /// Takes the write lock at once (waiting up to the busy timeout), so a read-then-write
    /// transaction never fails half-way because another writer came first.
    case immediate = "IMMEDIATE"
  }

  /// Runs `body` in one transaction: committed when `body` returns, rolled back when it (or the
  /// commit) throws.
  public func inTransaction<T>(_ kind: TransactionKind, _ body: (SQLiteConnection) throws -> T) throws -> T {
    precondition(!isInsideTransaction, "SQLiteConnection.inTransaction: a transaction is already open on this connection")
    try execute(sql: "BEGIN \(kind.rawValue) TRANSACTION")
    do {
      let result = try body(self)
      try execute(sql: "COMMIT TRANSACTION")
      return result
    } catch {
      if isInsideTransaction { _ = try? execute(sql: "ROLLBACK TRANSACTION") }
      throw error
    }
  }

  /// Whether the C string at `text` holds only whitespace (the end of a script).
  private static func isBlank(_ text: UnsafePointer<CChar>) -> Bool {
    var pointer = text
    while pointer.pointee != 0 {
      if !(pointer.pointee == 0x20 || (0x09...0x0D).contains(pointer.pointee)) { return false }
      pointer += 1
    }
    return true
  }
}
