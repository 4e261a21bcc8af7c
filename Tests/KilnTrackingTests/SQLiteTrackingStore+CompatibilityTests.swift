import Foundation
import KilnSQL
import KilnSQLite
import Testing
@testable import KilnTracking

/// Stores written before the store moved to KilnSQLite open, verify and take writes unchanged
/// (Tests/Fixtures/tracking-store-v4/README.md says how the committed store was made).
@Suite struct StoreCompatibilityTests {
  /// A writable copy of the committed store, so the fixture itself is never changed.
  func copyOfEarlierStore() throws -> URL {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/tracking-store-v4/kiln.sqlite")
    let directory = try temporaryStoreDirectory()
    try FileManager.default.copyItem(at: fixture, to: directory.appendingPathComponent("kiln.sqlite"))
    return directory
  }

  @Test func theStoreIsInWALModeAndMigratesOnce() throws {
    let directory = try temporaryStoreDirectory()
    let first = try SQLiteTrackingStore(databaseFile: directory.appendingPathComponent("kiln.sqlite"))
    let mode = try first.read { db in try db.fetchValue(String.self, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
    let second = try SQLiteTrackingStore(databaseFile: directory.appendingPathComponent("kiln.sqlite"))
    let migrations = try second.read { db in try db.fetchValues(String.self, sql: "SELECT identifier FROM grdb_migrations") }
    // Each migration is recorded once, however many times the store is opened.
    #expect(migrations == SQLiteTrackingStore.migrations(for: .sqlite).map(\.identifier))
  }

  @Test func aStoreWrittenBeforeReadsAndVerifiesUnchanged() throws {
    let directory = try copyOfEarlierStore()
    let tracker = try Tracker(storeDirectory: directory)
    let runs = try tracker.runs()
    #expect(runs.count == 2)
    #expect(runs.allSatisfy { $0.experiment == "adult" && $0.status == .finished && $0.name.hasPrefix("worker-") })
    for run in runs {
      let history = try tracker.metricHistory(runID: run.id, key: "value")
      #expect(history.map(\.step) == Array(0..<20))
      #expect(history.map(\.value) == (0..<20).map(Double.init))
    }
    #expect(try tracker.store.auditEvents().map(\.kind) == [.runStarted, .runFinished, .runStarted, .runFinished])
    #expect(try tracker.verifyAuditLog() == AuditVerification(eventCount: 4, firstBadEvent: nil, reason: nil))
  }

  @Test func aStoreWrittenBeforeTakesNewWritesWithoutMigrating() throws {
    let directory = try copyOfEarlierStore()
    let store = try SQLiteTrackingStore(databaseFile: directory.appendingPathComponent("kiln.sqlite"))
    let tracker = Tracker(store: store, artifactsDirectory: directory.appendingPathComponent("artifacts"))
    let run = try tracker.startRun(experiment: "adult", name: "after")
    try run.log("value", value: 1, step: 0)
    try run.finish(.finished)
    let version = try store.registerModelVersion(ModelVersionDraft(
      modelName: "adult", runID: run.id, checkpointArtifact: "model/checkpoint.h5", checkpointSHA256: nil,
      datasetFingerprint: "f00d", gitCommit: nil, configurationHash: run.record.configurationHash), at: Date())
    #expect(version.version == 1)
    #expect(try tracker.runs().count == 3)
    let verification = try tracker.verifyAuditLog()
    #expect(verification.isIntact && verification.eventCount == 7)
    let recorded = try store.read { try $0.fetchValues(String.self, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    #expect(recorded == SQLiteTrackingStore.migrations(for: .sqlite).map(\.identifier))
  }
}
