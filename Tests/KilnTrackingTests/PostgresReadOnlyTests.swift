import Foundation
import KilnPostgres
import KilnPostgresTestServer
@testable import KilnTracking
import Testing

/// A viewer (`kiln ui`) reads a PostgreSQL store through a role granted only `SELECT`, in a
/// read-only session: it reads every run, Kiln refuses its writes, and the server does too.
@Suite struct PostgresReadOnlyTests {
  /// A login role granted only `SELECT` on the store's tables; its URL on the same socket.
  static func reader(of url: PostgresURL) throws -> PostgresURL {
    let role = "reader_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    let admin = try PostgresConnection(url: url)
    // The role's name is made here of hexadecimal digits: no user text reaches the statements.
    _ = try admin.execute(sql: "CREATE ROLE \(role) LOGIN", arguments: [])
    _ = try admin.execute(sql: "GRANT USAGE ON SCHEMA public TO \(role)", arguments: [])
    _ = try admin.execute(sql: "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role)", arguments: [])
    return try PostgresURL(url.text.replacingOccurrences(of: "postgresql://kiln@", with: "postgresql://\(role)@"))
  }

  @Test func aSelectOnlyRoleReadsEveryRunAndWritesNothing() throws {
    let server = try PostgresTestServer.shared()
    let url = try server.database(for: "read-only-\(UUID().uuidString)")
    let artifacts = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-read-only-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: artifacts) }
    let writer = Tracker(store: try PostgresTrackingStore(url: url), artifactsDirectory: artifacts)
    let run = try writer.startRun(experiment: "viewer", options: RunLoggingOptions(heartbeatInterval: nil))
    try run.log("value", value: 0.5, step: 1)
    try run.finish(.finished)

    let readerURL = try Self.reader(of: url)
    let store = try StoreLocation.postgreSQL(readerURL).open(readOnly: true)
    #expect(store.isReadOnly)
    let viewer = Tracker(store: store, artifactsDirectory: artifacts)
    #expect(try viewer.runs(RunQuery(experiment: "viewer")).map(\.id) == [run.id])
    #expect(try viewer.metricHistory(runID: run.id, key: "value").map(\.value) == [0.5])
    #expect(try viewer.verifyAuditLog().isIntact)
    // Kiln refuses the write before the server sees it…
    #expect(throws: TrackingError.self) { try store.setTag(runID: run.id, key: "x", value: "y") }
    // …and the server refuses the role, and any role in a read-only session.
    #expect(throws: PostgresError.self) { _ = try PostgresConnection(url: readerURL).execute(sql: "DELETE FROM kiln_migrations", arguments: []) }
    let session = try PostgresDatabase(url: url, readOnly: true)
    #expect(throws: PostgresError.self) { try session.write { _ = try $0.execute(sql: "DELETE FROM kiln_migrations", arguments: []) } }
  }

  @Test func aReadOnlyOpeningOfADatabaseWithoutKilnsTablesCreatesNothing() throws {
    let url = try PostgresTestServer.shared().database(for: "read-only-empty-\(UUID().uuidString)")
    do {
      _ = try PostgresTrackingStore(url: url, readOnly: true)
      Issue.record("an empty database opened read-only")
    } catch let error as TrackingError {
      #expect(error.code == .databaseUnavailable)
      #expect(error.message.contains("schema migration"), "\(error)")
    }
    let connection = try PostgresConnection(url: url)
    #expect(try connection.fetchValue(Bool.self, sql: "SELECT to_regclass('kiln_migrations') IS NOT NULL") == false)
    let database = try PostgresDatabase(url: url)
    let migrations = PostgresTrackingStore.migrations(for: .postgreSQL)
    #expect(try database.pendingMigrations(migrations) == migrations.map(\.identifier))
  }
}
