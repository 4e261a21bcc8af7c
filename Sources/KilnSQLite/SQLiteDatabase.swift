import CSQLite
import Foundation
import KilnSQL

/// An SQLite database file shared by the threads of a process (and, through SQLite's file
/// locks, by other processes): the one way Kiln opens SQLite.
///
/// A read-write database runs in WAL mode with two connections, each behind its own lock: one
/// for writes, one for reads. A thread can therefore read while another thread of the same
/// process writes (WAL readers see the last commit and never wait for a writer), and writers
/// queue on the lock. A read-only or immutable database has the reading connection only.
///
/// Every connection enforces foreign keys and waits up to `busyTimeout` for another process's
/// lock before failing with `SQLiteError.Code.busy`.
public final class SQLiteDatabase: SQLDatabase, @unchecked Sendable {
  /// How the file is opened.
  public enum Access: Sendable {
    /// Read and write, creating the file when missing; WAL mode, `synchronous = NORMAL` (a
    /// killed process loses nothing committed; only power loss can drop the last transactions).
    case readWrite
    /// Read only, with the usual locking (the write-ahead log beside it is read too).
    case readOnly
    /// Read only, and the file promised not to change while open: SQLite takes no locks and
    /// creates no files beside it, so a file on a read-only mount opens. Only correct when
    /// every committed transaction is in the main file (no write-ahead log beside it).
    case immutable
  }

  /// The database file.
  public let file: URL
  public let access: Access
  private let writer: Guarded?
  private let reader: Guarded

  /// Opens `file` (creating it for `.readWrite`).
  /// - Parameter busyTimeout: how long a statement waits for another connection's lock.
  /// - Throws: `SQLiteError`: `.cannotOpen` for a file that cannot be opened, `.notADatabase`
  ///   for one that is not SQLite, `.busy` when another process holds the file past the timeout.
  public init(file: URL, access: Access, busyTimeout: TimeInterval) throws {
    self.file = file
    self.access = access
    switch access {
    case .readWrite:
      let writing = try SQLiteConnection(uri: Self.uri(file, query: nil),
                                         flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busyTimeout: busyTimeout)
      try writing.execute(sql: "PRAGMA journal_mode = WAL")
      try writing.execute(sql: "PRAGMA synchronous = NORMAL")
      try writing.execute(sql: "PRAGMA foreign_keys = ON")
      let reading = try SQLiteConnection(uri: Self.uri(file, query: nil), flags: SQLITE_OPEN_READWRITE, busyTimeout: busyTimeout)
      try reading.execute(sql: "PRAGMA query_only = ON")
      try reading.execute(sql: "PRAGMA foreign_keys = ON")
      writer = Guarded(writing)
      reader = Guarded(reading)
    case .readOnly, .immutable:
      let query = access == .immutable ? "mode=ro&immutable=1" : "mode=ro"
      let reading = try SQLiteConnection(uri: Self.uri(file, query: query), flags: SQLITE_OPEN_READONLY, busyTimeout: busyTimeout)
      try reading.execute(sql: "PRAGMA foreign_keys = ON")
      writer = nil
      reader = Guarded(reading)
    }
  }

  /// Whether writes are refused (`.readOnly` and `.immutable`).
  public var isReadOnly: Bool { writer == nil }

  /// The file's path.
  public var location: String { file.path }

  /// Runs `body` in one `BEGIN IMMEDIATE` transaction of the writing connection: it waits for
  /// other writers first, commits when `body` returns and rolls back when it throws. A
  /// transaction that finds the database busy past the busy timeout is run again (a bounded
  /// number of times), so concurrent processes never fail with "database is locked".
  /// - Throws: `SQLiteError.Code.readOnly` for a database opened read-only, `.busy` when another
  ///   process holds the write lock past every retry, or what `body` throws.
  public func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
    try Self.retryingWhileBusy { try writeWithoutTransaction { try $0.inTransaction(.immediate, body) } }
  }

  /// Runs `body` on the writing connection outside any transaction, for what SQLite allows only
  /// there (`PRAGMA foreign_keys`); `body` opens its own transactions.
  public func writeWithoutTransaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
    guard let writer else {
      throw SQLiteError(code: .readOnly, message: "the database \(file.path) is open read-only")
    }
    return try writer.use(body)
  }

  /// Runs `body` in one deferred transaction of the reading connection, so all its queries see
  /// one snapshot, also while another thread or process writes.
  public func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
    try Self.retryingWhileBusy { try reader.use { try $0.inTransaction(.deferred, body) } }
  }

  /// Applies `migrations` with `SQLiteMigrator`; a read-only database is checked instead.
  /// - Throws: `SQLiteError.Code.readOnly` for a read-only database that lacks a migration.
  public func migrate(_ migrations: [SQLMigration]) throws {
    var migrator = SQLiteMigrator()
    for migration in migrations {
      migrator.registerMigration(migration.identifier) { try $0.execute(sql: migration.sql) }
    }
    guard isReadOnly else { return try Self.retryingWhileBusy { try migrator.migrate(self) } }
    guard try read({ try migrator.hasCompletedMigrations($0) }) else {
      throw SQLiteError(code: .readOnly, message: "the database \(file.path) is read-only and older than this Kiln",
                        hint: "open it once with write access so that Kiln can upgrade it")
    }
  }

  /// Runs `body`, again while SQLite reports the database busy or locked past the busy timeout.
  public static func retryingWhileBusy<T>(attempts: Int = 20, _ body: () throws -> T) throws -> T {
    var attempt = 0
    while true {
      do {
        return try body()
      } catch let error as SQLiteError where error.code == .busy || error.code == .locked {
        attempt += 1
        if attempt >= attempts { throw error }
        usleep(useconds_t(min(200_000, 1_000 << min(attempt, 10))))
      }
    }
  }

  /// An SQLite `file:` URI naming `file`, its path escaped so that `?`, `#` and `%` in a folder's
  /// name stay part of the path.
  static func uri(_ file: URL, query: String?) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "?#%")
    let escaped = file.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? file.path
    return "file:" + escaped + (query.map { "?" + $0 } ?? "")
  }
}

/// A connection and the lock that serialises its users.
private final class Guarded {
  private let connection: SQLiteConnection
  // Recursive, so that a nested use on the same thread reaches the precondition below instead
  // of waiting for itself forever.
  private let lock = NSRecursiveLock()
  private var inUse = false

  init(_ connection: SQLiteConnection) {
    self.connection = connection
  }

  func use<T>(_ body: (SQLiteConnection) throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    precondition(!inUse, "SQLiteDatabase: a read or write was started inside another on the same connection and thread")
    inUse = true
    defer { inUse = false }
    return try body(connection)
  }
}
