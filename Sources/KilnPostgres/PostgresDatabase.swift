import Foundation
import KilnSQL

/// A PostgreSQL database shared by the threads of a process: one connection, used by one caller
/// at a time. Several processes (or several `PostgresDatabase`s) write at once through their own
/// connections; the server's row and table locks order them.
public final class PostgresDatabase: SQLDatabase, @unchecked Sendable {
  public let url: PostgresURL
  private let connection: PostgresConnection
  private let lock = NSLock()
  /// Whether this connection only reads (`init(url:readOnly:)`).
  public let isReadOnly: Bool

  /// Connects to `url`. With `readOnly`, every transaction of the session is read-only
  /// (`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`), so the server refuses any write
  /// even from a role that could write; a viewer should also connect as a role granted only
  /// `SELECT`.
  public init(url: PostgresURL, readOnly: Bool = false) throws {
    self.url = url
    connection = try PostgresConnection(url: url)
    isReadOnly = readOnly
    if readOnly { try connection.execute(sql: "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", arguments: []) }
  }

  /// The server's URL without its password.
  public var location: String { url.description }

  /// Runs `body` in one transaction. A transaction that conflicts with a concurrent one
  /// (serialization failure, deadlock) is rolled back and run again, up to `attempts` times.
  public func write<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try write(attempts: 20, body)
  }

  public func write<T>(attempts: Int, _ body: (PostgresConnection) throws -> T) throws -> T {
    try lock.withLock {
      var attempt = 0
      while true {
        do {
          return try connection.inTransaction(body)
        } catch let error as PostgresError where error.isTransactionConflict && attempt + 1 < attempts {
          attempt += 1
          usleep(useconds_t(min(200_000, 1_000 << min(attempt, 10))))
        }
      }
    }
  }

  /// Runs `body` with the connection outside any explicit transaction (each statement is its own).
  public func read<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try lock.withLock { try body(connection) }
  }

  /// Applies `migrations` with `PostgresMigrator`.
  public func migrate(_ migrations: [SQLMigration]) throws {
    var migrator = PostgresMigrator()
    for migration in migrations { migrator.registerMigration(migration.identifier, sql: migration.sql) }
    try migrator.migrate(self)
  }

  /// The identifiers of `migrations` not yet applied, in order (reading only).
  public func pendingMigrations(_ migrations: [SQLMigration]) throws -> [String] {
    let applied = try read { try PostgresMigrator().appliedIdentifiers($0) }
    return migrations.map(\.identifier).filter { !applied.contains($0) }
  }
}
