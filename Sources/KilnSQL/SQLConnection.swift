/// One connection of an SQL binding (KilnSQLite's, KilnPostgres's), used by one thread at a
/// time: what code written once for both databases needs. Statements use `?` placeholders and
/// their values always travel apart from the SQL text.
public protocol SQLConnection: AnyObject {
  /// The SQL this connection's database speaks where the two differ.
  var dialect: SQLDialect { get }
  /// Runs one statement with `arguments`, or, without arguments, a script of statements
  /// separated by semicolons.
  /// - Returns: how many rows the (last) INSERT, UPDATE or DELETE changed.
  @discardableResult
  func execute(sql: String, arguments: SQLArguments) throws -> Int
  /// Calls `body` with each row of the query's result in turn.
  func forEachRow(sql: String, arguments: SQLArguments, _ body: (SQLRow) throws -> Void) throws
  /// Calls `body` with each row of the query's result in turn, holding at most `batchSize` of
  /// its rows at once however large the result (SQLite steps through it; PostgreSQL fetches it
  /// through a cursor, `batchSize` rows a round trip, all from one snapshot). `body` may run
  /// other queries on this connection between rows.
  func forEachRow(sql: String, arguments: SQLArguments, batchSize: Int, _ body: (SQLRow) throws -> Void) throws
}

extension SQLConnection {
  /// Runs a statement, or a script of statements, without arguments.
  @discardableResult
  public func execute(sql: String) throws -> Int {
    try execute(sql: sql, arguments: [])
  }

  /// Every row of the query's result.
  public func fetchAll(sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
    var rows: [SQLRow] = []
    try forEachRow(sql: sql, arguments: arguments) { rows.append($0) }
    return rows
  }

  /// The query's first row, or nil (a query that wants one row says `LIMIT 1`).
  public func fetchOne(sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
    try fetchAll(sql: sql, arguments: arguments).first
  }

  /// The first column of the query's first row: nil when there is no row or the value is NULL.
  public func fetchValue<Value: SQLValueConvertible>(_ type: Value.Type = Value.self, sql: String,
                                                      arguments: SQLArguments = []) throws -> Value? {
    guard let row = try fetchOne(sql: sql, arguments: arguments) else { return nil }
    let value: Value? = try row[0]
    return value
  }

  /// The first column of every row of the query's result.
  public func fetchValues<Value: SQLValueConvertible>(_ type: Value.Type = Value.self, sql: String,
                                                       arguments: SQLArguments = []) throws -> [Value] {
    var values: [Value] = []
    try forEachRow(sql: sql, arguments: arguments) { values.append(try $0[0]) }
    return values
  }
}

/// A database that threads of a process share through one binding: transactions for writes,
/// consistent reads, and schema migrations.
public protocol SQLDatabase: AnyObject, Sendable {
  associatedtype Connection: SQLConnection
  /// The database for messages: a file's path, or a server's URL without its password.
  var location: String { get }
  /// Whether writes are refused.
  var isReadOnly: Bool { get }
  /// Runs `body` in one write transaction: committed when `body` returns, rolled back when it
  /// throws; a transaction that lost to a concurrent one (a busy database, a serialization
  /// failure) is run again, a bounded number of times.
  func write<T>(_ body: (Connection) throws -> T) throws -> T
  /// Runs `body`'s queries, each seeing committed data.
  func read<T>(_ body: (Connection) throws -> T) throws -> T
  /// Applies the migrations not yet recorded in the database, in order, each in its own
  /// transaction with its record; a read-only database throws unless all are applied.
  func migrate(_ migrations: [SQLMigration]) throws
}

/// One step of a schema, named once and never edited after it ships.
public struct SQLMigration: Sendable {
  public let identifier: String
  /// The statements, separated by semicolons.
  public let sql: String

  public init(_ identifier: String, sql: String) {
    self.identifier = identifier
    self.sql = sql
  }
}
