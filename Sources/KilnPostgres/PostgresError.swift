/// A failure reported by PostgreSQL or libpq, or a value that does not convert to the type asked for.
///
/// `code` is what callers branch on; `sqlState` is the server's five-character SQLSTATE when it
/// gave one (`40001` serialization failure, `40P01` deadlock…); `message` is the server's own
/// text, with any password of a connection URL removed; `sql` the statement that failed.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
  public enum Code: String, Sendable {
    /// The server cannot be reached, or refused the connection (authentication, unknown database).
    case connectionFailed
    /// A statement failed on the server; `sqlState` says why.
    case statementFailed
    /// A value of another type than the one asked for (raised by this binding's reads).
    case mismatch
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

  public var description: String {
    var text = message
    if let sqlState { text += " (SQLSTATE \(sqlState))" }
    if let sql { text += "\nin: \(sql)" }
    return text
  }
}
