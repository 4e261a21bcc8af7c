import KilnOutput

/// A row read that fails: a value that does not convert to the type asked for, or a column the
/// row does not have. Both are a mismatch between a query and the code reading it.
public struct SQLValueError: KilnError, Sendable {
  public enum Code: String, Sendable {
    /// A value of another type than the one asked for.
    case mismatch
    /// A column index or name the row does not have.
    case noSuchColumn
  }

  public let code: Code
  public let message: String
  /// The statement whose row was read.
  public let sql: String

  public init(_ code: Code, _ message: String, sql: String) {
    self.code = code
    self.message = message
    self.sql = sql
  }

  public var location: String? { "in `\(sql.count > 300 ? String(sql.prefix(300)) + "…" : sql)`" }
  public var hint: String? { "the store's schema and this Kiln disagree: check that the store was written by this Kiln's version" }
}
