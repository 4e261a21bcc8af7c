import Foundation
@testable import KilnPostgres
import KilnSQL
import KilnPostgresTestServer
import Testing
@testable import KilnTracking

/// The libpq binding and the choice of store, beside the store contract: values go to the server
/// and back unchanged and apart from the SQL, and passwords never reach a message.
@Suite struct PostgresBindingTests {
  @Test func passwordsAreRedactedFromURLs() throws {
    #expect(PostgresURL.redacting("postgresql://kiln:s3cret@db:5432/kiln") == "postgresql://kiln:***@db:5432/kiln")
    #expect(PostgresURL.redacting("postgresql://kiln@db/kiln?password=s3cret&sslmode=require")
            == "postgresql://kiln@db/kiln?password=***&sslmode=require")
    #expect(PostgresURL.redacting("postgresql://kiln@db/kiln") == "postgresql://kiln@db/kiln")
    #expect(try PostgresURL("postgres://a:b@h/d").description == "postgres://a:***@h/d")
    let refused = #expect(throws: PostgresError.self) { try PostgresURL("mysql://a:secret@h/d") }
    #expect(refused?.message.contains("secret") == false)
  }

  @Test func placeholdersAreNumberedOutsideQuotes() {
    #expect(PostgresConnection.numberingPlaceholders("SELECT ?, '?', \"a?\", ? WHERE x = ?") == "SELECT $1, '?', \"a?\", $2 WHERE x = $3")
  }

  @Test func aStoreIsChosenFromAURLOrAFolder() throws {
    let here = URL(fileURLWithPath: "/tmp/project", isDirectory: true)
    #expect(try StoreLocation.parse("postgresql://k@h/d", relativeTo: here) == .postgreSQL(try PostgresURL("postgresql://k@h/d")))
    #expect(try StoreLocation.parse("shared/.kiln", relativeTo: here) == .embedded(directory: URL(fileURLWithPath: "/tmp/project/shared/.kiln")))
    let unknown = #expect(throws: TrackingError.self) { try StoreLocation.parse("mysql://u:pw@h/d", relativeTo: here) }
    #expect(unknown?.message.contains("pw@") == false)
  }

  @Test func valuesTravelApartFromTheSQLAndComeBackUnchanged() throws {
    let connection = try PostgresConnection(url: try PostgresTestServer.shared().database(for: "binding-\(UUID().uuidString)"))
    try connection.execute(sql: "CREATE TABLE sample (text TEXT, number DOUBLE PRECISION, integer BIGINT, flag BOOLEAN, bytes BYTEA)")
    let hostile = "'); DROP TABLE sample; -- ? $1 «ü»"
    let numbers: [Double] = [0.1, -1e-300, .infinity, -.infinity, 1.0 / 3.0]
    let bytes = Data([0, 1, 0x5C, 0x78, 0xFF, 0])
    for number in numbers {
      try connection.execute(sql: "INSERT INTO sample VALUES (?, ?, ?, ?, ?)", arguments: [hostile, number, Int64.min, true, bytes])
    }
    try connection.execute(sql: "INSERT INTO sample VALUES (?, ?, ?, ?, ?)", arguments: [nil, Double.nan, Int64.max, false, Data()])
    let rows = try connection.fetchAll(sql: "SELECT * FROM sample")
    #expect(rows.count == numbers.count + 1)
    #expect(try rows.prefix(numbers.count).map { try $0["number"] as Double } == numbers)
    #expect(try rows.prefix(numbers.count).allSatisfy { try $0["text"] as String == hostile && $0["integer"] as Int64 == .min && $0["flag"] as Bool && $0["bytes"] as Data == bytes })
    let last = try #require(rows.last)
    #expect(try (last["text"] as String?) == nil && (last["number"] as Double).isNaN && last["integer"] as Int64 == .max)
    #expect(try last["bytes"] as Data == Data())
    let mismatch = #expect(throws: SQLValueError.self) { _ = try last["flag"] as String }
    #expect(mismatch?.code == .mismatch)
  }
}
