import KilnSQL

/// A schema's migrations, applied in the order they were registered, each once.
///
/// Each applied migration's identifier is recorded in the table `grdb_migrations` (column
/// `identifier`), the table Kiln's stores have recorded them in from the start, so every store
/// opens without change. A migration, once shipped, is never edited: a new one is added.
public struct SQLiteMigrator {
  /// The table of applied migrations.
  public static let tableName = "grdb_migrations"

  private var migrations: [(identifier: String, body: (SQLiteConnection) throws -> Void)] = []

  public init() {}

  /// Adds the migration `identifier`, run after those registered before it.
  public mutating func registerMigration(_ identifier: String, _ body: @escaping (SQLiteConnection) throws -> Void) {
    precondition(!migrations.contains { $0.identifier == identifier }, "SQLiteMigrator: migration '\(identifier)' is registered twice")
    migrations.append((identifier, body))
  }

  /// The registered identifiers, in order.
  public var identifiers: [String] { migrations.map(\.identifier) }

  /// Applies the migrations `database` has not recorded yet, each in its own `BEGIN IMMEDIATE`
  /// transaction with its record. Another process migrating the same file at once is harmless:
  /// whether a migration is still due is decided again inside its transaction.
  ///
  /// Foreign keys are off while a migration runs (a table can be rebuilt), and checked over the
  /// whole database before it commits.
  public func migrate(_ database: SQLiteDatabase) throws {
    try database.writeWithoutTransaction { db in
      // Checked first without the write lock, so that opening an up-to-date database never waits
      // for another process's writes.
      let applied = try appliedIdentifiers(db)
      let pending = migrations.filter { !applied.contains($0.identifier) }
      guard !pending.isEmpty else { return }
      try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(Self.tableName) (identifier TEXT NOT NULL PRIMARY KEY)")
      for migration in pending {
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
        try db.inTransaction(.immediate) { db in
          guard try db.fetchOne(sql: "SELECT 1 FROM \(Self.tableName) WHERE identifier = ?", arguments: [migration.identifier]) == nil else {
            return
          }
          try migration.body(db)
          if let violation = try db.fetchOne(sql: "PRAGMA foreign_key_check") {
            let table: String = (try? violation["table"]) ?? "?"
            throw SQLiteError(code: .constraint, message: "migration '\(migration.identifier)' leaves a row of \(table) whose foreign key names no row")
          }
          try db.execute(sql: "INSERT INTO \(Self.tableName)(identifier) VALUES (?)", arguments: [migration.identifier])
        }
      }
    }
  }

  /// The identifiers `db` records as applied (none when it has no migration table).
  public func appliedIdentifiers(_ db: SQLiteConnection) throws -> Set<String> {
    guard try db.fetchOne(sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [Self.tableName]) != nil else {
      return []
    }
    return Set(try db.fetchValues(String.self, sql: "SELECT identifier FROM \(Self.tableName)"))
  }

  /// Whether every registered migration has been applied to `db`.
  public func hasCompletedMigrations(_ db: SQLiteConnection) throws -> Bool {
    let applied = try appliedIdentifiers(db)
    return migrations.allSatisfy { applied.contains($0.identifier) }
  }
}
