import CSQLite
import KilnOutput

/// A failure reported by SQLite (a row read that fails is `SQLValueError`).
///
/// `code` is SQLite's primary result code (`.busy`, `.readOnly`, `.constraint`…), the one callers
/// branch on; `extendedCode` refines it (SQLITE_CONSTRAINT_UNIQUE…); `message` is SQLite's own
/// text; `sql` the statement that failed, when there was one.
public struct SQLiteError: KilnError, Sendable {
  /// A primary SQLite result code (https://sqlite.org/rescode.html).
  public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The generic error: an SQL error, a missing table, a nested transaction.
    public static let error = Code(rawValue: SQLITE_ERROR)
    /// Another connection holds the lock this one needs, past the busy timeout.
    public static let busy = Code(rawValue: SQLITE_BUSY)
    /// A table is locked by another statement of the same shared cache.
    public static let locked = Code(rawValue: SQLITE_LOCKED)
    /// A write to a database opened read-only (or immutable).
    public static let readOnly = Code(rawValue: SQLITE_READONLY)
    /// A file that cannot be opened.
    public static let cannotOpen = Code(rawValue: SQLITE_CANTOPEN)
    /// A constraint failed: UNIQUE, NOT NULL, FOREIGN KEY, CHECK, or a trigger's RAISE(ABORT).
    public static let constraint = Code(rawValue: SQLITE_CONSTRAINT)
    /// A parameter index or count that does not match the statement.
    public static let range = Code(rawValue: SQLITE_RANGE)
    /// A file that is not an SQLite database.
    public static let notADatabase = Code(rawValue: SQLITE_NOTADB)
    /// The database file is damaged.
    public static let corrupt = Code(rawValue: SQLITE_CORRUPT)

    public var description: String { "\(rawValue)" }
  }

  /// The primary result code.
  public let code: Code
  /// The extended result code (equal to `code.rawValue` when SQLite gives no refinement).
  public let extendedCode: Int32
  /// SQLite's message, or this binding's.
  public let message: String
  /// The statement that failed.
  public let sql: String?
  /// What to do, when this binding knows better than the code that called it.
  private let givenHint: String?

  public init(code: Code, extendedCode: Int32? = nil, message: String, sql: String? = nil, hint: String? = nil) {
    self.code = code
    self.extendedCode = extendedCode ?? code.rawValue
    self.message = message
    self.sql = sql
    givenHint = hint
  }

  /// The error SQLite holds for `connection` after a call returned `resultCode`.
  init(resultCode: Int32, connection: OpaquePointer?, sql: String?) {
    let extended = connection.map { sqlite3_extended_errcode($0) } ?? resultCode
    let text = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(resultCode))
    self.init(code: Code(rawValue: resultCode & 0xFF), extendedCode: extended, message: text, sql: sql)
  }

  /// The statement that failed, shortened.
  public var location: String? {
    sql.map { "in `\($0.count > 300 ? String($0.prefix(300)) + "…" : $0)`" }
  }

  /// What to do: the given hint, or the remedy of the result code.
  public var hint: String? {
    if let givenHint { return givenHint }
    switch code {
    case .busy, .locked: return "another process holds the database; try again when it has finished"
    case .readOnly: return "the database or its folder cannot be written: check its permissions, or copy it somewhere writable"
    case .cannotOpen: return "check that the file's folder exists and can be read"
    case .notADatabase, .corrupt: return "the file is not a sound SQLite database: restore it from a copy"
    default: return nil
    }
  }
}
