import Foundation
import KilnSQLite
import Testing
@testable import KilnTracking

extension StoreContractTests {
  @Suite struct ModelRegistry {
    struct Fixture {
      let directory: URL
      let tracker: Tracker
      let store: any TrackingStore
      let clock = ManualClock()

      init(_ kind: StoreFactory) throws {
        directory = try temporaryStoreDirectory()
        let clock = self.clock
        tracker = try kind.tracker(in: directory, clock: { clock.now })
        store = tracker.store
      }

      func register(_ model: String = "adult") throws -> ModelVersionRecord {
        let run = try tracker.startRun(experiment: "adult")
        try run.finish()
        clock.advance(by: 1)
        return try store.registerModelVersion(ModelVersionDraft(
          modelName: model, runID: run.id, checkpointArtifact: "model/checkpoint.h5", checkpointSHA256: "ab",
          datasetFingerprint: "f00d", gitCommit: "c0ffee", configurationHash: "cafe"), at: clock.now)
      }

      func move(_ version: Int, to stage: ModelStage, approver: String? = nil, override: String? = nil) throws -> ModelVersionRecord {
        clock.advance(by: 1)
        return try store.changeStage(model: "adult", version: version,
                                     StageChangeRequest(target: stage, approver: approver, overrideReason: override), at: clock.now)
      }
    }

    @Test(arguments: StoreFactory.all) func versionsCountUpPerModelNameAndKeepTheirLineage(_ kind: StoreFactory) throws {
      let fixture = try Fixture(kind)
      let first = try fixture.register(), second = try fixture.register(), other = try fixture.register("credit")
      #expect([first.version, second.version, other.version] == [Int](arrayLiteral: 1, 2, 1))
      #expect(first.stage == .none && !first.isChampion)
      #expect(first.datasetFingerprint == "f00d" && first.gitCommit == "c0ffee" && first.configurationHash == "cafe")
      #expect(try fixture.store.registeredModels().map(\.name) == ["adult", "credit"])
    }

    @Test(arguments: StoreFactory.all) func productionArchivesThePreviousChampionAndMovesTheAlias(_ kind: StoreFactory) throws {
      let fixture = try Fixture(kind)
      _ = try fixture.register()
      _ = try fixture.register()
      _ = try fixture.move(1, to: .staging)
      _ = try fixture.move(1, to: .production, approver: "ana")
      let second = try fixture.move(2, to: .production, approver: "ana")
      #expect(second.stage == .production && second.isChampion)
      #expect(try fixture.store.modelVersion(model: "adult", version: 1)?.stage == .archived)
      #expect(try fixture.store.champion(model: "adult")?.version == 2)
    }

    @Test(arguments: StoreFactory.all) func stagesMoveForwardOnly(_ kind: StoreFactory) throws {
      let fixture = try Fixture(kind)
      _ = try fixture.register()
      _ = try fixture.move(1, to: .production, approver: "ana")
      #expect(throws: TrackingError.self) { try fixture.move(1, to: .staging) }
      #expect(throws: TrackingError.self) { try fixture.move(1, to: .production) }
      #expect(throws: TrackingError.self) { try fixture.move(7, to: .staging) }
    }

    @Test(arguments: StoreFactory.all) func rollbackRestoresThePreviousProductionVersion(_ kind: StoreFactory) throws {
      let fixture = try Fixture(kind)
      for _ in 0..<3 { _ = try fixture.register() }
      _ = try fixture.move(1, to: .production)
      _ = try fixture.move(2, to: .staging)   // never in production: not a rollback target
      _ = try fixture.move(3, to: .production)
      fixture.clock.advance(by: 1)
      let restored = try fixture.store.rollback(model: "adult", actor: "ana", reason: "v3 misbehaves", at: fixture.clock.now)
      #expect(restored.version == 1 && restored.stage == .production && restored.isChampion)
      #expect(try fixture.store.modelVersion(model: "adult", version: 3)?.stage == .archived)
      #expect(try fixture.store.modelVersion(model: "adult", version: 2)?.stage == .staging)
      #expect(throws: TrackingError.self) { try fixture.store.rollback(model: "adult", actor: nil, reason: nil, at: fixture.clock.now) }
    }

    @Test(arguments: StoreFactory.all) func everyChangeIsAnAuditEvent(_ kind: StoreFactory) throws {
      let fixture = try Fixture(kind)
      _ = try fixture.register()
      _ = try fixture.move(1, to: .production, approver: "ana", override: "hotfix for the holiday traffic")
      let kinds = try fixture.store.auditEvents().map(\.kind).filter { $0.rawValue.hasPrefix("model.") }
      #expect(kinds == [.modelRegistered, .modelGateOverridden, .modelApproved, .modelStageChanged])
      #expect(try fixture.tracker.verifyAuditLog().isIntact)
    }
  }
}

/// The SQLite store's registry against edits made behind its back.
@Suite struct SQLiteModelRegistryTamperTests {
  @Test func deletingTheNewestRegistryEventIsDetected() throws {
    let fixture = try StoreContractTests.ModelRegistry.Fixture(.sqlite)
    _ = try fixture.register()
    let staged = try fixture.move(1, to: .staging)
    let sqlite = try SQLiteDatabase(file: fixture.directory.appendingPathComponent("kiln.sqlite"), access: .readWrite, busyTimeout: 5)
    try sqlite.write { db in
      try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_delete")
      try db.execute(sql: "DELETE FROM audit_event WHERE sequence = ?", arguments: [staged.lastEvent])
    }
    let verification = try fixture.tracker.verifyAuditLog()
    #expect(verification.firstBadEvent == staged.lastEvent)
    #expect(verification.reason?.contains("missing") == true)
  }

  @Test func editingARegistryRowIsDetected() throws {
    let fixture = try StoreContractTests.ModelRegistry.Fixture(.sqlite)
    _ = try fixture.register()
    _ = try fixture.move(1, to: .staging)
    let sqlite = try SQLiteDatabase(file: fixture.directory.appendingPathComponent("kiln.sqlite"), access: .readWrite, busyTimeout: 5)
    try sqlite.write { try $0.execute(sql: "UPDATE model_version SET stage = 'production'") }
    #expect(try fixture.tracker.verifyAuditLog().isIntact == false)
  }
}
