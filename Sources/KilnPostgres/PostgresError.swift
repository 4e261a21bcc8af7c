import KilnOutput

/// A failure reported by PostgreSQL or libpq (a row read that fails is `SQLValueError`).
///
/// `code` is what callers branch on; `sqlState` is the server's five-character SQLSTATE when it
/// gave one (`40001` serialization failure, `40P01` deadlock…); `message` is the server's own
/// text, with any password of a connection URL removed; `sql` the statement that failed.
public struct PostgresError: KilnError, Sendable {
  public enum Code: String, Sendable {
    /// The server cannot be reached, or refused the connection (authentication, unknown database).
    case connectionFailed
    /// A statement failed on the server; `sqlState` says why.
    case statementFailed
  }

  public let code: Code
  public let sqlState: String?
  public let message: String
  public let sql: String?

  public init(_ code: Code, _ message: String, sqlState: String? = nil, sql: String? = nil) {
    self.code = code
    self.message = message
    self.sqlState = sqlState
    self.sql = sql
  }

  /// A conflict with a concurrent transaction (serialization failure or deadlock): retrying the
  /// whole transaction is the documented remedy.
  public var isTransactionConflict: Bool { sqlState == "40001" || sqlState == "40P01" }

  /// The lost or refused connection (SQLSTATE class 08, or no connection at all).
  public var isConnectionFailure: Bool { code == .connectionFailed || sqlState?.hasPrefix("08") == true }

  /// The statement that failed, with the server's SQLSTATE.
  public var location: String? {
    guard let sql else { return sqlState.map { "SQLSTATE \($0)" } }
    return "in `\(sql)`" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
  }

  /// What to do, by the kind of failure.
  public var hint: String? {
    if isConnectionFailure {
      return "check that the PostgreSQL server is running and reachable from this host, and that the user and database exist"
    }
    switch sqlState?.prefix(2) {
    case "42": return sqlState == "42501" ? "the database role lacks a privilege this command needs: ask the database's owner to grant it" : nil
    case "53": return "the server is out of a resource (disk, memory, connections): see its log"
    case "25": return sqlState == "25006" ? "the connection is read-only: this command writes, so use a role and server that accept writes" : nil
    default: return nil
    }
  }
}
