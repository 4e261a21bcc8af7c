import Foundation
import KilnSQLite
import Testing
import KilnTracking

/// A key pair made by `kiln keys generate` in a directory outside the project.
struct GeneratedKey {
  let privateFile: URL
  var publicFile: URL { URL(fileURLWithPath: privateFile.path + ".pub") }
  let publicKeyText: String

  init(name: String) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-keys-\(UUID().uuidString)", isDirectory: true)
    privateFile = directory.appendingPathComponent("\(name).key")
    let result = try runKiln(["keys", "generate", "--out", privateFile.path])
    #expect(result.status == 0, "\(result.stderr)")
    publicKeyText = String(result.stdout.split(separator: "\n").last ?? "")
  }
}

@Suite struct AuditCheckpointCLITests {
  @Test func generatedKeysArePEMAndThePrivateOneIsReadableByItsOwnerOnly() throws {
    let key = try GeneratedKey(name: "auditor")
    let attributes = try FileManager.default.attributesOfItem(atPath: key.privateFile.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let privateText = try String(contentsOf: key.privateFile, encoding: .utf8)
    #expect(privateText.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    let publicText = try String(contentsOf: key.publicFile, encoding: .utf8)
    #expect(publicText.contains(key.publicKeyText) && publicText.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
    let again = try runKiln(["keys", "generate", "--out", key.privateFile.path])
    #expect(again.status == 1 && again.stderr.contains("never overwritten"))
  }

  @Test func aKeyInsideTheStoreIsRefused() throws {
    let project = try PromotableProject()
    _ = try project.run(accuracy: 0.85, auc: 0.9)
    let inside = try runKiln(["keys", "generate", "--out", ".kiln/audit.key"], in: project.root)
    #expect(inside.status == 1 && inside.stderr.contains("inside the tracking store"))
    let key = try GeneratedKey(name: "auditor")
    let copy = project.root.appendingPathComponent(".kiln/audit.key")
    try FileManager.default.copyItem(at: key.privateFile, to: copy)
    let checkpoint = try runKiln(["audit", "checkpoint", "--key", copy.path], in: project.root)
    #expect(checkpoint.status == 1 && checkpoint.stderr.contains("inside the tracking store"))
  }

  @Test func signedCheckpointsVerifyOnlyWithTheirKey() throws {
    let project = try PromotableProject()
    _ = try project.run(accuracy: 0.85, auc: 0.9)
    let key = try GeneratedKey(name: "auditor"), other = try GeneratedKey(name: "other")
    let noCheckpoint = try runKiln(["audit", "verify", "--public-key", key.publicFile.path], in: project.root)
    #expect(noCheckpoint.status == 2 && noCheckpoint.stderr.contains("no signed checkpoint"))
    let signed = try runKiln(["audit", "checkpoint", "--key", key.privateFile.path], in: project.root)
    #expect(signed.status == 0, "\(signed.stderr)")
    let verified = try runKiln(["audit", "verify", "--public-key", key.publicFile.path], in: project.root)
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(verified.stdout.contains("1 signed checkpoint verified"))
    let unchecked = try runKiln(["audit", "verify"], in: project.root)
    #expect(unchecked.status == 0 && unchecked.stdout.contains("NOT checked"))
    let wrongKey = try runKiln(["audit", "verify", "--public-key", other.publicFile.path], in: project.root)
    #expect(wrongKey.status == 2 && wrongKey.stderr.contains("not signed by"))
  }

  @Test func aForgedCheckpointFailsEvenWhenItMatchesARewrittenLog() throws {
    let project = try PromotableProject()
    _ = try project.run(accuracy: 0.85, auc: 0.9)
    let key = try GeneratedKey(name: "auditor")
    #expect(try runKiln(["audit", "checkpoint", "--key", key.privateFile.path], in: project.root).status == 0)
    let head = try #require(try project.events().last)
    // Rewrite the first event with the chain recomputed, then put the new head's hash into the checkpoint.
    try project.rewriteHistory(editing: 1) { _ in #"{"rewritten":true}"# }
    let rewritten = try #require(try project.events().last)
    let file = project.root.appendingPathComponent("reports/audit/checkpoints/checkpoint-\(head.sequence).json")
    let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: head.hash, with: rewritten.hash)
    try text.write(to: file, atomically: true, encoding: .utf8)
    #expect(try runKiln(["audit", "verify"], in: project.root).status == 0)
    let result = try runKiln(["audit", "verify", "--public-key", key.publicFile.path], in: project.root)
    #expect(result.status == 2)
    #expect(result.stderr.contains("checkpoint-\(head.sequence).json") && result.stderr.contains("forged or altered"), "\(result.stderr)")
  }

  @Test func deletingEventsAfterACheckpointIsCaughtUpToIt() throws {
    let project = try PromotableProject()
    _ = try project.run(accuracy: 0.85, auc: 0.9)
    let key = try GeneratedKey(name: "auditor")
    let before = try #require(try project.events().last)
    _ = try project.run(accuracy: 0.86, auc: 0.9)
    #expect(try runKiln(["audit", "checkpoint", "--key", key.privateFile.path], in: project.root).status == 0)
    try project.truncateHistory(after: before.sequence)
    let result = try runKiln(["audit", "verify", "--public-key", key.publicFile.path], in: project.root)
    #expect(result.status == 2 && result.stderr.contains("checkpoint-") && result.stderr.contains("were deleted"), "\(result.stderr)")
  }

  @Test func aBrokenLogIsNotSigned() throws {
    let project = try PromotableProject()
    _ = try project.run(accuracy: 0.85, auc: 0.9)
    let key = try GeneratedKey(name: "auditor")
    try project.database().write { db in
      try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_update")
      try db.execute(sql: "UPDATE audit_event SET payload = '{}' WHERE sequence = 2")
    }
    let result = try runKiln(["audit", "checkpoint", "--key", key.privateFile.path], in: project.root)
    #expect(result.status == 1 && result.stderr.contains("broken at event 2"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("reports/audit").path))
  }
}
