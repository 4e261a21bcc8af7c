/// Where SQLite's and PostgreSQL's SQL differ, in one place, so that queries are written once.
///
/// Both accept `INSERT … ON CONFLICT … DO UPDATE` with `excluded`, `RETURNING`, multi-row
/// `VALUES` and `?` placeholders (numbered by KilnPostgres). What differs is locking: an SQLite
/// write transaction holds the whole database (`BEGIN IMMEDIATE`), so the row, table and advisory
/// locks that PostgreSQL's concurrent writers need are empty there.
public enum SQLDialect: Sendable {
  case sqlite, postgreSQL

  /// A text expression read as a number; text that is not a number gives 0 in SQLite and NULL in
  /// PostgreSQL (whose `CAST` would fail the whole query; `kiln_number` is the store's function).
  public func number(_ expression: String) -> String {
    switch self {
    case .sqlite: return "CAST(\(expression) AS REAL)"
    case .postgreSQL: return "kiln_number(\(expression))"
    }
  }

  /// Appended to a `SELECT` of a write transaction: its rows stay locked until the transaction
  /// ends, so a concurrent change waits rather than being lost.
  public var lockingForUpdate: String { self == .postgreSQL ? " FOR UPDATE" : "" }

  /// Appended to a `SELECT` of a write transaction: its rows cannot change until it ends.
  public var lockingForShare: String { self == .postgreSQL ? " FOR SHARE" : "" }

  /// Appended to a `SELECT … LIMIT n` that claims rows: rows another transaction holds are
  /// passed over, so concurrent claimers take different rows without waiting.
  public var claimingUnlockedRows: String { self == .postgreSQL ? " FOR UPDATE SKIP LOCKED" : "" }

  /// A statement that makes concurrent write transactions on `table` take turns until they end
  /// (readers go on); nil where write transactions take turns already.
  public func lockingTable(_ table: String) -> String? {
    self == .postgreSQL ? "LOCK TABLE \(table) IN EXCLUSIVE MODE" : nil
  }

  /// A statement, with its arguments, that makes write transactions naming the same `key` in
  /// `space` take turns until they end; nil where write transactions take turns already.
  public func serialising(space: Int32, key: String) -> (sql: String, arguments: SQLArguments)? {
    self == .postgreSQL ? ("SELECT pg_advisory_xact_lock(\(space), hashtext(?))", [key]) : nil
  }

  /// A condition that `column` starts with the text bound to its one placeholder.
  public func startsWith(_ column: String) -> String {
    switch self {
    // `substr` counts characters, as `length` does, and compares case-sensitively, unlike `LIKE`.
    case .sqlite: return "substr(\(column), 1, length(?1)) = ?1"
    case .postgreSQL: return "starts_with(\(column), ?)"
    }
  }

  /// A query whose rows of text are `ok` for a sound database, or name what is damaged.
  public var integrityCheck: String {
    switch self {
    case .sqlite: return "PRAGMA integrity_check"
    // The server keeps its own consistency (write-ahead log, checksums when enabled).
    case .postgreSQL: return "SELECT 'ok'"
    }
  }
}
