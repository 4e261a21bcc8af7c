import Foundation
import KilnSQL
import KilnSQLite
import Testing

@Suite struct SQLiteValueTests {
  @Test func eachTypeBindsAndReadsBackUnchanged() throws {
    let database = try databaseWithItems()
    let blob = Data([0, 1, 2, 0xFF, 0])
    let text = "caf\u{E9} \u{1F525} with a NUL \u{0} inside"
    let values: [(any SQLValueConvertible)?] = [Int64.min, Int64.max, 42, Int32(-7), 2.5, -0.0, true, false, text, "", blob, Data(), nil]
    try database.write { db in
      for value in values { try db.execute(sql: "INSERT INTO item(payload) VALUES (?)", arguments: [value]) }
    }
    let rows = try database.read { try $0.fetchAll(sql: "SELECT payload, typeof(payload) AS type FROM item ORDER BY id") }
    #expect(try rows.map { try $0["type"] as String }
            == ["integer", "integer", "integer", "integer", "real", "real", "integer", "integer", "text", "text", "blob", "blob", "null"])
    #expect(try rows[0][0] as Int64 == .min)
    #expect(try rows[1][0] as Int64 == .max)
    #expect(try rows[2][0] as Int == 42)
    #expect(try rows[3][0] as Int32 == -7)
    #expect(try rows[4][0] as Double == 2.5)
    #expect(try (rows[5][0] as Double).sign == .minus)
    #expect(try rows[6][0] as Bool == true)
    #expect(try rows[7][0] as Bool == false)
    #expect(try rows[8][0] as String == text)
    #expect(try rows[9][0] as String == "")
    #expect(try rows[10][0] as Data == blob)
    #expect(try rows[11][0] as Data == Data())
    #expect(try rows[12][0] as String? == nil)
    #expect(try rows[12][0] as SQLValue == .null)
    #expect(try rows[10]["PAYLOAD"] as SQLValue == .blob(blob), "column names compare without case")
  }

  @Test func readsConvertOnlyWithoutLoss() throws {
    let database = try databaseWithItems()
    let row = try #require(try database.read { try $0.fetchOne(sql: "SELECT 3 AS whole, 2.0 AS real_whole, 2.5 AS half, 'x' AS word, NULL AS absent_value, 300 AS wide") })
    #expect(try row["whole"] as Double == 3)
    #expect(try row["real_whole"] as Int == 2)
    #expect(try row["word"] as Data == Data("x".utf8))
    let half = #expect(throws: SQLValueError.self) { try row["half"] as Int }
    #expect(half?.code == .mismatch && half?.message.contains("REAL 2.5") == true)
    let word = #expect(throws: SQLValueError.self) { try row["word"] as Double }
    #expect(word?.code == .mismatch && word?.message.contains("'word'") == true)
    let nothing = #expect(throws: SQLValueError.self) { try row["absent_value"] as String }
    #expect(nothing?.code == .mismatch && nothing?.message.contains("NULL") == true)
    #expect(try row["wide"] as Int32 == 300)
    let missing = #expect(throws: SQLValueError.self) { try row["absent"] as Int }
    #expect(missing?.code == .noSuchColumn && missing?.message.contains("absent") == true)
    #expect(throws: SQLValueError.self) { try row[6] as Int }
  }

  @Test func argumentsMustMatchTheParameters() throws {
    let database = try databaseWithItems()
    let error = #expect(throws: SQLiteError.self) {
      try database.write { try $0.execute(sql: "INSERT INTO item(name, payload) VALUES (?, ?)", arguments: ["one"]) }
    }
    #expect(error?.code == .range && error?.sql == "INSERT INTO item(name, payload) VALUES (?, ?)")
  }

  @Test func fetchValueIsNilForNoRowAndForNull() throws {
    let database = try databaseWithItems()
    try database.read { db throws in
      #expect(try db.fetchValue(Int.self, sql: "SELECT id FROM item") == nil)
      #expect(try db.fetchValue(Int.self, sql: "SELECT MAX(id) FROM item") == nil)
      let counting = "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 3) SELECT value FROM n"
      #expect(try db.fetchValues(Int.self, sql: counting) == [1, 2, 3])
    }
  }
}
