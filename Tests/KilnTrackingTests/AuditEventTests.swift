import Foundation
import KilnSQLite
import Testing
@testable import KilnTracking

extension StoreContractTests {
  @Suite struct AuditLog {
    func trackerWithHistory(_ kind: StoreFactory) throws -> (Tracker, URL) {
      let directory = try temporaryStoreDirectory()
      let tracker = try kind.tracker(in: directory)
      let run = try tracker.startRun(experiment: "adult")
      try tracker.recordAuditEvent(.gateEvaluated, runID: run.id,
                                   payload: .object(["gate": .string("test.accuracy >= 0.84"), "passed": .bool(true)]))
      try run.finish(.finished)
      try tracker.deleteRun(id: run.id)
      return (tracker, directory)
    }

    @Test(arguments: StoreFactory.all) func theChainLinksEveryEventToThePreviousOne(_ kind: StoreFactory) throws {
      let (tracker, _) = try trackerWithHistory(kind)
      let events = try tracker.store.auditEvents()
      #expect(events.map(\.kind) == [.runStarted, .gateEvaluated, .runFinished, .runDeleted])
      #expect(events.first?.previousHash == AuditEvent.genesisHash)
      for (previous, event) in zip(events, events.dropFirst()) { #expect(event.previousHash == previous.hash) }
      #expect(try tracker.verifyAuditLog() == AuditVerification(eventCount: 4, firstBadEvent: nil, reason: nil))
    }

    @Test(arguments: StoreFactory.all) func newEventKindsNeedNoSchemaChange(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let eventKind = AuditEventKind("model.registered")
      let event = try tracker.store.appendAuditEvent(kind: eventKind, runID: nil, payload: .object(["version": .number(3)]), at: Date())
      #expect(try tracker.store.auditEvents() == [event])
      #expect(event.payloadValue == .object(["version": .number(3)]))
    }
  }
}

/// The SQLite store's audit log against edits made behind its back.
@Suite struct SQLiteAuditLogTamperTests {
  func trackerWithHistory() throws -> (Tracker, URL) {
    try StoreContractTests.AuditLog().trackerWithHistory(.sqlite)
  }

  @Test func theStoreRefusesToRewriteTheLog() throws {
    let (_, directory) = try trackerWithHistory()
    let sqlite = try SQLiteDatabase(file: directory.appendingPathComponent("kiln.sqlite"), access: .readWrite, busyTimeout: 5)
    let update = #expect(throws: SQLiteError.self) { try sqlite.write { try $0.execute(sql: "UPDATE audit_event SET payload = '{}'") } }
    let delete = #expect(throws: SQLiteError.self) { try sqlite.write { try $0.execute(sql: "DELETE FROM audit_event WHERE sequence = 2") } }
    #expect(update?.code == .constraint && update?.message == "the audit log is append-only")
    #expect(delete?.code == .constraint && delete?.message == "the audit log is append-only")
  }

  @Test func verificationNamesTheFirstTamperedEvent() throws {
    let (tracker, directory) = try trackerWithHistory()
    let sqlite = try SQLiteDatabase(file: directory.appendingPathComponent("kiln.sqlite"), access: .readWrite, busyTimeout: 5)
    try sqlite.write { db in
      try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_update")
      try db.execute(sql: #"UPDATE audit_event SET payload = '{"gate":"test.accuracy >= 0.5","passed":true}' WHERE sequence = 2"#)
    }
    let verification = try tracker.verifyAuditLog()
    #expect(verification.firstBadEvent == 2)
    #expect(verification.reason?.contains("gate.evaluated") == true)
  }

  @Test func verificationNamesAMissingEvent() throws {
    let (tracker, directory) = try trackerWithHistory()
    let sqlite = try SQLiteDatabase(file: directory.appendingPathComponent("kiln.sqlite"), access: .readWrite, busyTimeout: 5)
    try sqlite.write { db in
      try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_delete")
      try db.execute(sql: "DELETE FROM audit_event WHERE sequence = 3")
    }
    #expect(try tracker.verifyAuditLog().firstBadEvent == 4)
  }
}

@Suite struct AuditAnchorTests {
  func history() throws -> (Tracker, SQLiteDatabase) {
    let directory = try temporaryStoreDirectory()
    let tracker = try Tracker(storeDirectory: directory)
    let run = try tracker.startRun(experiment: "adult")
    try tracker.recordAuditEvent(.gateEvaluated, runID: run.id, payload: .object(["outcome": .string("fail")]))
    try run.finish(.finished)
    return (tracker, try SQLiteDatabase(file: directory.appendingPathComponent("kiln.sqlite"), access: .readWrite, busyTimeout: 5))
  }

  @Test func theHeadIsTheNewestEvent() throws {
    let (tracker, _) = try history()
    let last = try #require(try tracker.store.auditEvents().last)
    #expect(try tracker.auditHead() == AuditHead(sequence: last.sequence, hash: last.hash))
    #expect(try Tracker(storeDirectory: try temporaryStoreDirectory()).auditHead() == .empty)
  }

  @Test func headsPrintedInReportsParseBack() {
    let head = AuditHead(sequence: 12, hash: String(repeating: "ab", count: 32))
    #expect(AuditHead.parse(text: "# Card\n\n\(head.reportLine).\n") == [head])
    #expect(AuditHead.parse(text: "<p class=\"meta\">\(head.reportLine).</p>") == [head])
    #expect(AuditHead.parse(text: "Audit chain head: not recorded") == [])
  }

  @Test func aRecomputedChainIsCaughtByAHeadHeldOutside() throws {
    let (tracker, sqlite) = try history()
    let head = try tracker.auditHead()
    let anchor = AuditAnchor(head: head, source: "promotion.json")
    #expect(try tracker.verifyAuditLog(anchors: [anchor]).isIntact)
    try sqlite.write { db in try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_update") }
    var previous = try tracker.store.auditEvents()[0].hash
    for var event in try tracker.store.auditEvents().dropFirst() {
      if event.kind == .gateEvaluated { event.payload = #"{"outcome":"pass"}"# }
      event.previousHash = previous
      event.hash = event.expectedHash
      previous = event.hash
      try sqlite.write { db in
        try db.execute(sql: "UPDATE audit_event SET payload = ?, previous_hash = ?, hash = ? WHERE sequence = ?",
                       arguments: [event.payload, event.previousHash, event.hash, event.sequence])
      }
    }
    #expect(try tracker.verifyAuditLog().isIntact)
    let verification = try tracker.verifyAuditLog(anchors: [anchor])
    #expect(verification.firstBadEvent == head.sequence)
    #expect(verification.reason?.contains("promotion.json") == true && verification.reason?.contains("rewritten") == true)
  }

  @Test func deletedNewestEventsAreCaughtUpToTheNewestHeadHeldOutside() throws {
    let (tracker, sqlite) = try history()
    let head = try tracker.auditHead()
    try sqlite.write { db in
      try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_delete")
      try db.execute(sql: "DELETE FROM audit_event WHERE sequence = ?", arguments: [head.sequence])
    }
    #expect(try tracker.verifyAuditLog().isIntact)
    let verification = try tracker.verifyAuditLog(anchors: [AuditAnchor(head: head, source: "drift.json")])
    #expect(verification.firstBadEvent == head.sequence)
    #expect(verification.reason?.contains("event \(head.sequence) was deleted") == true)
  }
}
