import Foundation
import KilnSQLite
import Testing

@Suite struct SQLiteMigratorTests {
  struct Broken: Error {}

  /// A migrator that counts how often each migration body runs.
  final class Counter { var runs: [String] = [] }

  func migrator(_ counter: Counter, through last: Int) -> SQLiteMigrator {
    var migrator = SQLiteMigrator()
    let steps = [
      ("v1: items", "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"),
      ("v2: tags", "CREATE TABLE tag (item_id INTEGER NOT NULL REFERENCES item(id), label TEXT NOT NULL)"),
      ("v3: sizes", "ALTER TABLE item ADD COLUMN size INTEGER NOT NULL DEFAULT 0"),
    ]
    for (identifier, sql) in steps.prefix(last) {
      migrator.registerMigration(identifier) { db in
        counter.runs.append(identifier)
        try db.execute(sql: sql)
      }
    }
    return migrator
  }

  @Test func migrationsRunOnceInOrderAndAreRecordedInTheHistoricTable() throws {
    let file = try temporaryDatabaseFile()
    let counter = Counter()
    let database = try SQLiteDatabase(file: file, access: .readWrite, busyTimeout: 5)
    try migrator(counter, through: 2).migrate(database)
    try migrator(counter, through: 2).migrate(database)
    #expect(counter.runs == ["v1: items", "v2: tags"])
    // A newer program adds a migration: only it runs.
    let newer = migrator(counter, through: 3)
    #expect(try database.read { try newer.hasCompletedMigrations($0) } == false)
    try newer.migrate(try SQLiteDatabase(file: file, access: .readWrite, busyTimeout: 5))
    #expect(counter.runs == ["v1: items", "v2: tags", "v3: sizes"])
    #expect(try database.read { try newer.hasCompletedMigrations($0) })
    let recorded = try database.read { try $0.fetchValues(String.self, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    #expect(recorded == newer.identifiers)
    #expect(try database.read { try $0.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM pragma_table_info('item') WHERE name = 'size'") } == 1)
    // Foreign keys are enforced again once migrations are over.
    let orphan = #expect(throws: SQLiteError.self) { try database.write { try $0.execute(sql: "INSERT INTO tag VALUES (9, 'x')") } }
    #expect(orphan?.code == .constraint)
  }

  @Test func aFailingMigrationLeavesNoTraceAndIsNotRecorded() throws {
    let database = try SQLiteDatabase(file: try temporaryDatabaseFile(), access: .readWrite, busyTimeout: 5)
    var migrator = SQLiteMigrator()
    migrator.registerMigration("v1: items") { try $0.execute(sql: "CREATE TABLE item (id INTEGER PRIMARY KEY)") }
    migrator.registerMigration("v2: broken") { db in
      try db.execute(sql: "CREATE TABLE half_done (id INTEGER)")
      throw Broken()
    }
    #expect(throws: Broken.self) { try migrator.migrate(database) }
    try database.read { db throws in
      #expect(try migrator.appliedIdentifiers(db) == ["v1: items"])
      #expect(try db.fetchValues(String.self, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") == ["grdb_migrations", "item"])
    }
  }

  @Test func aMigrationThatBreaksAForeignKeyIsRefused() throws {
    let database = try SQLiteDatabase(file: try temporaryDatabaseFile(), access: .readWrite, busyTimeout: 5)
    var migrator = SQLiteMigrator()
    migrator.registerMigration("v1: orphans") { db in
      try db.execute(sql: """
        CREATE TABLE item (id INTEGER PRIMARY KEY);
        CREATE TABLE tag (item_id INTEGER REFERENCES item(id));
        INSERT INTO tag VALUES (5);
        """)
    }
    let error = #expect(throws: SQLiteError.self) { try migrator.migrate(database) }
    #expect(error?.code == .constraint && error?.message.contains("tag") == true)
    #expect(try database.read { try migrator.appliedIdentifiers($0) }.isEmpty)
  }

  @Test func aDatabaseWithoutTheTableHasNothingApplied() throws {
    let database = try SQLiteDatabase(file: try temporaryDatabaseFile(), access: .readWrite, busyTimeout: 5)
    #expect(try database.read { try migrator(Counter(), through: 1).appliedIdentifiers($0) }.isEmpty)
    #expect(try database.read { try SQLiteMigrator().hasCompletedMigrations($0) })
  }
}
