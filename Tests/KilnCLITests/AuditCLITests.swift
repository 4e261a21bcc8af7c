import Foundation
import KilnSQLite
import Testing
import KilnTracking

@Suite struct AuditCLITests {
  @Test func verifyNamesTheFirstTamperedEvent() throws {
    let project = try TrackedProject()
    let sqlite = try SQLiteDatabase(file: project.root.appendingPathComponent(".kiln/kiln.sqlite"), access: .readWrite, busyTimeout: 5)
    try sqlite.write { db in
      try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_update")
      try db.execute(sql: "UPDATE audit_event SET payload = '{}' WHERE sequence = 3")
    }
    let result = try runKiln(["audit", "verify"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("event 3"))
  }

  @Test func verifyWithoutAStoreSaysWhereItLooked() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-audit-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    let result = try runKiln(["audit", "verify"], in: root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("no tracking store"))
  }
}
