import Foundation
import KilnSQLite
import Testing

@Suite struct SQLiteDatabaseTests {
  struct Refusal: Error {}

  func names(_ database: SQLiteDatabase) throws -> [String] {
    try database.read { try $0.fetchValues(String.self, sql: "SELECT name FROM item ORDER BY id") }
  }

  @Test func aThrowingWriteRollsBackEverything() throws {
    let database = try databaseWithItems()
    try database.write { try $0.execute(sql: "INSERT INTO item(name) VALUES ('kept')") }
    #expect(throws: Refusal.self) {
      try database.write { db in
        try db.execute(sql: "INSERT INTO item(name) VALUES ('dropped')")
        throw Refusal()
      }
    }
    // A failing statement after a successful one undoes both.
    let duplicate = #expect(throws: SQLiteError.self) {
      try database.write { db in
        try db.execute(sql: "INSERT INTO item(name) VALUES ('also dropped')")
        try db.execute(sql: "INSERT INTO item(name) VALUES ('kept')")
      }
    }
    #expect(duplicate?.code == .constraint)
    #expect(duplicate?.extendedCode == 2067, "SQLITE_CONSTRAINT_UNIQUE")
    #expect(duplicate?.message == "UNIQUE constraint failed: item.name")
    #expect(try names(database) == ["kept"])
    // The connection is usable again.
    try database.write { try $0.execute(sql: "INSERT INTO item(name) VALUES ('after')") }
    #expect(try names(database) == ["kept", "after"])
  }

  @Test func aSecondWriterGetsBusyAfterItsTimeout() throws {
    let first = try databaseWithItems()
    let second = try SQLiteDatabase(file: first.file, access: .readWrite, busyTimeout: 0.05)
    try first.write { db in
      try db.execute(sql: "INSERT INTO item(name) VALUES ('first')")
      let busy = #expect(throws: SQLiteError.self) {
        try second.write { try $0.execute(sql: "INSERT INTO item(name) VALUES ('second')") }
      }
      #expect(busy?.code == .busy)
      // Reads are not blocked by the writer, and see the last commit, not its pending row.
      #expect(try second.read { try $0.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM item") } == 0)
      #expect(try first.read { try $0.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM item") } == 0)
    }
    try second.write { try $0.execute(sql: "INSERT INTO item(name) VALUES ('second')") }
    #expect(try names(first) == ["first", "second"])
  }

  @Test func aThreadReadsWhileAnotherWrites() throws {
    let database = try databaseWithItems()
    try database.write { try $0.execute(sql: "INSERT INTO item(name) VALUES ('committed')") }
    let writing = DispatchSemaphore(value: 0), readDone = DispatchSemaphore(value: 0)
    let writer = Thread {
      try? database.write { db in
        try db.execute(sql: "INSERT INTO item(name) VALUES ('pending')")
        writing.signal()
        // Bounded, so that a read blocked by this transaction fails the test instead of hanging it.
        _ = readDone.wait(timeout: .now() + 30)
      }
    }
    writer.start()
    try #require(writing.wait(timeout: .now() + 30) == .success)
    let seen = try names(database)
    readDone.signal()
    #expect(seen == ["committed"])
  }

  @Test func sqlScriptsRunEveryStatementAndPreparedTextMustBeOne() throws {
    let database = try databaseWithItems()
    try database.write { db in
      try db.execute(sql: """
        -- a comment first
        INSERT INTO item(name) VALUES ('a'); INSERT INTO item(name) VALUES ('b;c');
        /* and one last */
        """)
      let several = #expect(throws: SQLiteError.self) { try db.makeStatement(sql: "SELECT 1; SELECT 2") }
      #expect(several?.message.contains("several") == true)
      let broken = #expect(throws: SQLiteError.self) { try db.execute(sql: "SELEKT 1") }
      #expect(broken?.code == .error && broken?.message.contains("syntax error") == true)
    }
    #expect(try names(database) == ["a", "b;c"])
  }

  @Test func aCachedStatementRebindsEachTime() throws {
    let database = try databaseWithItems()
    try database.write { db in
      for name in ["x", "y"] {
        try db.cachedStatement(sql: "INSERT INTO item(name, payload) VALUES (?, ?)").execute(arguments: [name, nil])
      }
      #expect(db.changesCount == 1)
      #expect(db.lastInsertedRowID == 2)
      let lookup = try db.cachedStatement(sql: "SELECT id FROM item WHERE name = ?")
      #expect(try lookup.fetchOne(arguments: ["y"])?[0] as Int? == 2)
      #expect(try lookup.fetchOne(arguments: ["z"]) == nil)
    }
  }

  /// A database file holding one item, written and closed.
  func archivedFile() throws -> URL {
    let made = try databaseWithItems()
    try made.write { try $0.execute(sql: "INSERT INTO item(name) VALUES ('archived')") }
    // Read-only while the writer is open: its write-ahead log is read too.
    #expect(try names(try SQLiteDatabase(file: made.file, access: .readOnly, busyTimeout: 1)) == ["archived"])
    return made.file
  }

  @Test func readOnlyAndImmutableDatabasesRefuseWrites() throws {
    let file = try archivedFile()
    // The last connection to close moved everything into the main file and removed the log.
    #expect(!FileManager.default.fileExists(atPath: file.path + "-wal"))
    for access in [SQLiteDatabase.Access.readOnly, .immutable] {
      let database = try SQLiteDatabase(file: file, access: access, busyTimeout: 1)
      #expect(database.isReadOnly)
      #expect(try names(database) == ["archived"])
      let refused = #expect(throws: SQLiteError.self) { try database.write { try $0.execute(sql: "DELETE FROM item") } }
      #expect(refused?.code == .readOnly)
      let inRead = #expect(throws: SQLiteError.self) { try database.read { try $0.execute(sql: "DELETE FROM item") } }
      #expect(inRead?.code == .readOnly)
    }
  }

  @Test func aReadOfAReadWriteDatabaseCannotWrite() throws {
    let database = try databaseWithItems()
    let inRead = #expect(throws: SQLiteError.self) { try database.read { try $0.execute(sql: "DELETE FROM item") } }
    #expect(inRead?.code == .readOnly)
  }

  @Test func openingWhatIsNotADatabaseSaysSo() throws {
    let file = try temporaryDatabaseFile()
    try Data("name,value\nx,1\n".utf8).write(to: file)
    let error = #expect(throws: SQLiteError.self) { try SQLiteDatabase(file: file, access: .readWrite, busyTimeout: 1) }
    #expect(error?.code == .notADatabase)
    let missing = file.deletingLastPathComponent().appendingPathComponent("missing/none.sqlite")
    let cannotOpen = #expect(throws: SQLiteError.self) { try SQLiteDatabase(file: missing, access: .readOnly, busyTimeout: 1) }
    #expect(cannotOpen?.code == .cannotOpen)
  }

  @Test func aReadWriteDatabaseUsesWALAndForeignKeys() throws {
    let database = try databaseWithItems()
    try database.write { db in
      #expect(try db.fetchValue(String.self, sql: "PRAGMA journal_mode") == "wal")
      try db.execute(sql: "CREATE TABLE tag (item_id INTEGER NOT NULL REFERENCES item(id), label TEXT)")
      let orphan = #expect(throws: SQLiteError.self) { try db.execute(sql: "INSERT INTO tag VALUES (99, 'orphan')") }
      #expect(orphan?.code == .constraint && orphan?.message.contains("FOREIGN KEY") == true)
    }
  }
}
