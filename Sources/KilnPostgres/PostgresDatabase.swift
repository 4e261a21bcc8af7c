import Foundation
import KilnSQL

/// A PostgreSQL database shared by the threads of a process: one connection, used by one caller
/// at a time. Several processes (or several `PostgresDatabase`s) write at once through their own
/// connections; the server's row and table locks order them.
public final class PostgresDatabase: SQLDatabase, @unchecked Sendable {
  public let url: PostgresURL
  private let connection: PostgresConnection
  private let lock = NSLock()

  public init(url: PostgresURL) throws {
    self.url = url
    connection = try PostgresConnection(url: url)
  }

  /// The server's URL without its password.
  public var location: String { url.description }

  /// Writes are refused by the server's grants (a read-only role), not by the binding.
  public var isReadOnly: Bool { false }

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
}
