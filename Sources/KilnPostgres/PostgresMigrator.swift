import KilnSQL

/// Applies a database's schema migrations in order, each once, each in its own transaction, and
/// records them in `kiln_migrations` (the PostgreSQL counterpart of `SQLiteMigrator`).
///
/// Processes that open the store at once take turns: each migration's transaction holds an
/// advisory lock, and checks again, inside it, whether another process applied it first.
public struct PostgresMigrator {
  public static let tableName = "kiln_migrations"
  /// The advisory lock key (an arbitrary constant) that orders concurrent migrations.
  static let lockKey: Int64 = 0x6B696C6E_6D696772

  private var migrations: [(identifier: String, sql: String)] = []

  public init() {}

  /// Adds a migration, the SQL that it runs; a shipped migration is never edited.
  public mutating func registerMigration(_ identifier: String, sql: String) {
    precondition(!migrations.contains { $0.identifier == identifier }, "PostgresMigrator: migration '\(identifier)' is registered twice")
    migrations.append((identifier, sql))
  }

  public var identifiers: [String] { migrations.map(\.identifier) }

  public func migrate(_ database: PostgresDatabase) throws {
    let applied = try database.read { try appliedIdentifiers($0) }
    guard migrations.contains(where: { !applied.contains($0.identifier) }) else { return }
    for migration in migrations where !applied.contains(migration.identifier) {
      try database.write { db in
        try db.execute(sql: "SELECT pg_advisory_xact_lock(?)", arguments: [Self.lockKey])
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(Self.tableName) (identifier TEXT NOT NULL PRIMARY KEY)")
        guard try db.fetchOne(sql: "SELECT 1 FROM \(Self.tableName) WHERE identifier = ?", arguments: [migration.identifier]) == nil else {
          return
        }
        try db.execute(sql: migration.sql)
        try db.execute(sql: "INSERT INTO \(Self.tableName)(identifier) VALUES (?)", arguments: [migration.identifier])
      }
    }
  }

  /// The migrations already applied (none for an empty database).
  public func appliedIdentifiers(_ db: PostgresConnection) throws -> Set<String> {
    guard try db.fetchValue(Bool.self, sql: "SELECT to_regclass(?) IS NOT NULL", arguments: [Self.tableName]) == true else { return [] }
    return Set(try db.fetchValues(String.self, sql: "SELECT identifier FROM \(Self.tableName)"))
  }
}
