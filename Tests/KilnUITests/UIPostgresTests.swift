import Foundation
import KilnPostgres
import KilnPostgresTestServer
import KilnTracking
import Testing

/// `kiln ui --store postgresql://…` as a role granted only `SELECT`: the pages read the server's
/// runs, and the server refuses the role any write.
@Suite struct UIPostgresTests {
  @Test func theUIServesAPostgreSQLStoreThroughASelectOnlyRole() throws {
    let url = try PostgresTestServer.shared().database(for: "ui-\(UUID().uuidString)")
    let artifacts = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-ui-pg-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: artifacts) }
    let writer = Tracker(store: try PostgresTrackingStore(url: url), artifactsDirectory: artifacts)
    let run = try writer.startRun(experiment: "served", name: "from-the-server", options: RunLoggingOptions(heartbeatInterval: nil))
    try run.log("train.loss", value: 0.25, step: 1)
    try run.finish(.finished)

    let role = "viewer_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    let admin = try PostgresConnection(url: url)
    // The role's name is made of hexadecimal digits here: no user text reaches the statements.
    for statement in ["CREATE ROLE \(role) LOGIN", "GRANT USAGE ON SCHEMA public TO \(role)",
                      "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role)"] {
      _ = try admin.execute(sql: statement, arguments: [])
    }
    let viewerURL = url.text.replacingOccurrences(of: "postgresql://kiln@", with: "postgresql://\(role)@")

    let server = try UIServerProcess(arguments: ["--store", viewerURL])
    defer { _ = server.stop() }
    let runs = try server.get("/runs?experiment=served")
    #expect(runs.status == 200 && runs.body.contains("from-the-server"), "\(runs.status) \(runs.body.prefix(300))")
    let page = try server.get("/runs/\(run.id)")
    #expect(page.status == 200 && page.body.contains("train.loss"), "\(page.status)")
    #expect(try server.get("/audit").status == 200)
  }
}
