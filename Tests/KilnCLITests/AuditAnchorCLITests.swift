import Foundation
import KilnSQLite
import Testing
import KilnTracking

extension PromotableProject {
  /// Rewrites the log as someone with write access to the store would: the append-only triggers
  /// dropped, event `sequence`'s payload edited, and every hash from there on recomputed, so the
  /// chain itself verifies again.
  func rewriteHistory(editing sequence: Int64, _ edit: (String) -> String) throws {
    let sqlite = try database()
    try sqlite.write { db in
      try db.execute(sql: "DROP TRIGGER IF EXISTS audit_event_is_append_only_update")
      try db.execute(sql: "DROP TRIGGER IF EXISTS audit_event_is_append_only_delete")
    }
    let events = try events()
    var previous = sequence == 1 ? AuditEvent.genesisHash : events[Int(sequence) - 2].hash
    for var event in events where event.sequence >= sequence {
      if event.sequence == sequence { event.payload = edit(event.payload) }
      event.previousHash = previous
      event.hash = event.expectedHash
      previous = event.hash
      try sqlite.write { db in
        try db.execute(sql: "UPDATE audit_event SET payload = ?, previous_hash = ?, hash = ? WHERE sequence = ?",
                       arguments: [event.payload, event.previousHash, event.hash, event.sequence])
      }
    }
  }

  /// Deletes every event after `sequence`, triggers dropped first.
  func truncateHistory(after sequence: Int64) throws {
    try database().write { db in
      try db.execute(sql: "DROP TRIGGER IF EXISTS audit_event_is_append_only_delete")
      try db.execute(sql: "DELETE FROM audit_event WHERE sequence > ?", arguments: [sequence])
    }
  }

  func report(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: root.appendingPathComponent(path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }
}

@Suite struct AuditAnchorCLITests {
  @Test func everyReportRecordsTheHeadItWasWrittenAt() throws {
    let project = try PromotableProject()
    let run = try project.run(accuracy: 0.85, auc: 0.9)
    #expect(try runKiln(["promote", run, "--model", "adult"], in: project.root).status == 0)
    let head = try #require(try project.events().last)
    let promotion = try project.report("reports/adult/v1/promotion.json")
    #expect((promotion["audit_head"] as? [String: Any])?["hash"] as? String == head.hash)
    let card = try project.report("reports/adult/v1/model-card.json")
    let details = try #require(card["model_details"] as? [String: Any])
    #expect((details["audit_head"] as? [String: Any])?["sequence"] as? Int == Int(head.sequence))
    for name in ["model-card.md", "model-card.html"] {
      let text = try String(contentsOf: project.root.appendingPathComponent("reports/adult/v1/\(name)"), encoding: .utf8)
      #expect(AuditHead.parse(text: text) == [AuditHead(sequence: head.sequence, hash: head.hash)], "\(name)")
    }
    let verify = try runKiln(["audit", "verify"], in: project.root)
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains("checked against 4 heads in 4 report files"))
  }

  @Test func aRewrittenHistoryWithItsChainRecomputedNoLongerMatchesTheReports() throws {
    let project = try PromotableProject()
    let run = try project.run(accuracy: 0.85, auc: 0.9)
    let promoted = try runKiln(["promote", run, "--model", "adult", "--to", "production", "--approved-by", "ana"], in: project.root)
    #expect(promoted.status == 0, "\(promoted.stderr)")
    let gate = try #require(try project.events().last { $0.kind == .gateEvaluated })
    try project.rewriteHistory(editing: gate.sequence) { $0.replacingOccurrences(of: "\"pass\"", with: "\"fail\"") }
    let copy = project.root.appendingPathComponent("promotion-copy.json")
    try FileManager.default.copyItem(at: project.root.appendingPathComponent("reports/adult/v1/promotion.json"), to: copy)
    try FileManager.default.moveItem(at: project.root.appendingPathComponent("reports"), to: project.root.appendingPathComponent("elsewhere"))
    // The chain was recomputed: on its own it verifies.
    #expect(try runKiln(["audit", "verify"], in: project.root).status == 0)
    // A report handed out before the rewrite, named on the command line, does not match.
    let named = try runKiln(["audit", "verify", copy.path], in: project.root)
    #expect(named.status == 2)
    #expect(named.stderr.contains("promotion-copy.json") && named.stderr.contains("rewritten"), "\(named.stderr)")
    // Nor do the reports under reports/.
    try FileManager.default.moveItem(at: project.root.appendingPathComponent("elsewhere"), to: project.root.appendingPathComponent("reports"))
    let found = try runKiln(["audit", "verify"], in: project.root)
    #expect(found.status == 2 && found.stderr.contains("rewritten"), "\(found.stderr)")
  }

  @Test func deletingTheNewestEventsNoLongerMatchesTheReports() throws {
    let project = try PromotableProject()
    let run = try project.run(accuracy: 0.85, auc: 0.9)
    #expect(try runKiln(["promote", run, "--model", "adult"], in: project.root).status == 0)
    let staged = try #require(try project.events().last)
    // Promoting again to the same stage re-gates (a new gate.evaluated event) and rewrites the
    // reports at the new head; the registry still points at the stage change before it.
    #expect(try runKiln(["promote", run, "--model", "adult"], in: project.root).status == 0)
    #expect(try project.events().last!.sequence == staged.sequence + 1)
    try project.truncateHistory(after: staged.sequence)
    let result = try runKiln(["audit", "verify"], in: project.root)
    #expect(result.status == 2)
    #expect(result.stderr.contains("the log ends at event \(staged.sequence): event \(staged.sequence + 1) was deleted"), "\(result.stderr)")
  }

  @Test func aNamedFileWithoutAHeadIsAnError() throws {
    let project = try PromotableProject()
    _ = try project.run(accuracy: 0.85, auc: 0.9)
    let file = project.root.appendingPathComponent("notes.md")
    try "no head here\n".write(to: file, atomically: true, encoding: .utf8)
    let result = try runKiln(["audit", "verify", file.path], in: project.root)
    #expect(result.status == 1 && result.stderr.contains("records no audit chain head"))
  }
}
