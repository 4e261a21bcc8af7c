import Foundation
import KilnPostgresTestServer
import Testing

/// `kiln store migrate` as a user runs it: a project trained into `.kiln`, moved to the test
/// PostgreSQL server and back into a new folder, `kiln audit verify` passing on each copy.
@Suite struct StoreMigrateCLITests {
  @Test func aProjectMovesToPostgreSQLAndBackWithItsAuditLogVerified() throws {
    let url = try PostgresTestServer.shared().database(for: "migrate-\(UUID().uuidString)")
    let root = try PostgresStoreCLITests.project()
    defer { try? FileManager.default.removeItem(at: root) }
    let local = ["KILN_STORE": ""]
    let trained = try runKiln(["train", "experiments/moons.yaml", "--quiet"], in: root, environment: local)
    #expect(trained.status == 0, "\(trained.stderr)")

    // $ kiln store migrate --from .kiln --to postgresql://…
    let moved = try runKiln(["store", "migrate", "--from", ".kiln", "--to", url.text], in: root, environment: local)
    #expect(moved.status == 0, "\(moved.stderr)")
    #expect(moved.stdout.contains("audit log verified in") && moved.stdout.contains("  run: 1 rows"), "\(moved.stdout)")
    #expect(!moved.stdout.contains("hunter") && !moved.stderr.contains("error"))

    // $ kiln audit verify --store postgresql://…   and the runs list the same from either store
    let verified = try runKiln(["audit", "verify", "--store", url.text], in: root, environment: local)
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    let fromFolder = try runKiln(["runs", "list", "--json"], in: root, environment: local)
    let fromServer = try runKiln(["runs", "list", "--json", "--store", url.text], in: root, environment: local)
    #expect(fromFolder.status == 0 && fromFolder.stdout == fromServer.stdout, "\(fromFolder.stdout)\n\(fromServer.stdout)")

    // A second migration into the same database is refused, and changes nothing.
    let twice = try runKiln(["store", "migrate", "--from", ".kiln", "--to", url.text], in: root, environment: local)
    #expect(twice.status == 1 && twice.stderr.contains("already holds") && twice.stderr.contains("hint:"), "\(twice.stderr)")

    // $ kiln store migrate --from postgresql://… --to copy
    let back = try runKiln(["store", "migrate", "--from", url.text, "--to", "copy", "--json"], in: root, environment: local)
    #expect(back.status == 0, "\(back.stderr)")
    let facts = try #require(try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as? [String: Any])
    #expect((facts["rows"] as? [String: Any])?["audit_event"] as? Int == (facts["audit_events"] as? Int))
    let copied = try runKiln(["audit", "verify", "--store", "copy"], in: root, environment: local)
    #expect(copied.status == 0, "\(copied.stdout)\(copied.stderr)")
    let fromCopy = try runKiln(["runs", "list", "--json", "--store", "copy"], in: root, environment: local)
    #expect(fromCopy.stdout == fromFolder.stdout)
  }

  @Test func aMissingSourceOrTheSameStoreTwiceIsRefused() throws {
    let folder = FileManager.default.temporaryDirectory
    let missing = try runKiln(["store", "migrate", "--from", "no-such-store-\(UUID().uuidString)", "--to", "elsewhere"],
                              in: folder, environment: ["KILN_STORE": ""])
    #expect(missing.status == 1 && missing.stderr.contains("no tracking store at"), "\(missing.stderr)")
    let same = try runKiln(["store", "migrate", "--from", ".kiln", "--to", "./.kiln"], in: folder, environment: ["KILN_STORE": ""])
    #expect(same.status != 0 && same.stderr.contains("the same store"), "\(same.stderr)")
  }
}
