import Foundation
import Testing
import KilnSQL
@testable import KilnTracking

/// `kiln store migrate`'s copy, between SQLite and the test PostgreSQL server both ways: every
/// table arrives unchanged, the audit chain verifies with the source's head, a non-empty target
/// is refused and the copy goes on numbering where the source stopped.
@Suite struct StoreMigrationTests {
  /// A store with a bit of everything: a parent and a child run with metrics, parameters, tags,
  /// an artifact and a dataset, a deleted run, a model in production and a sweep trial.
  static func filledStore(_ kind: StoreFactory) throws -> (store: any TrackingStore, tracker: Tracker) {
    let clock = ManualClock()
    let tracker = try kind.tracker(clock: { clock.now })
    let parent = try tracker.startRun(experiment: "adult", name: "sweep")
    let child = try tracker.startRun(experiment: "adult", parent: parent.id)
    try child.logParameters(["lr": "0.01", "batch_size": "64"])
    try child.setTag("team", "risk & fairness")
    for step in 0..<2_500 { try child.log(metrics: ["loss": 1 / Double(step + 1), "fairness.sex&race.gap": 0.1], step: step) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString).bin")
    try Data("weights".utf8).write(to: file)
    _ = try child.logArtifact(file: file, name: "model/checkpoint.h5")
    try child.recordInput(dataset: DatasetReference(name: "adult", version: "1", fingerprint: "f00d", split: "train"))
    try child.finish()
    try parent.finish()
    let store = tracker.store
    clock.advance(by: 1)
    _ = try store.registerModelVersion(ModelVersionDraft(
      modelName: "adult", runID: child.id, checkpointArtifact: "model/checkpoint.h5", checkpointSHA256: "ab",
      datasetFingerprint: "f00d", gitCommit: nil, configurationHash: "cafe"), at: clock.now)
    clock.advance(by: 1)
    _ = try store.changeStage(model: "adult", version: 1, StageChangeRequest(target: .production, approver: "ops", overrideReason: nil), at: clock.now)
    let trial = try store.insertSweepTrial(sweepRunID: parent.id, state: "complete", payload: #"{"x":1}"#, leaseOwner: nil, at: clock.now)
    try store.updateSweepTrial(sweepRunID: parent.id, number: trial.number) { $0.ready = true; $0.value = 0.5 }
    let deleted = try tracker.startRun(experiment: "scratch")
    try deleted.finish()
    try tracker.deleteRun(id: deleted.id)
    return (store, tracker)
  }

  /// Every table's rows, as the transfer reads them.
  static func contents(_ store: any TrackingStore) throws -> [String: [[SQLValueText]]] {
    var tables: [String: [[SQLValueText]]] = [:]
    try store.readContents { table, rows in tables[table.name, default: []] += rows.map { $0.map(SQLValueText.init) } }
    return tables
  }

  @Test(arguments: [(StoreFactory.sqlite, StoreFactory.postgreSQL), (StoreFactory.postgreSQL, StoreFactory.sqlite)])
  func aStoreMovesWholeWithItsAuditChain(_ from: StoreFactory, _ to: StoreFactory) throws {
    let (source, _) = try Self.filledStore(from)
    let target = try to.open(try temporaryStoreDirectory())
    let summary = try StoreMigration.migrate(from: source, named: from.name, to: target, named: to.name)
    #expect(summary.auditHead == (try source.auditHead()) && summary.auditEvents > 5)
    #expect(summary.rows.first { $0.table == "metric" }?.count == 5_000)
    #expect(try Self.contents(target) == Self.contents(source))
    #expect(try AuditVerification.verify(store: target).isIntact)
    #expect(try target.champion(model: "adult")?.version == 1)

    // The copy goes on where the source stopped: new experiments, runs and events.
    let before = try target.experiments().map(\.id)
    let tracker = Tracker(store: target, artifactsDirectory: try temporaryStoreDirectory())
    let next = try tracker.startRun(experiment: "after-the-move")
    try next.finish()
    let added = try target.experiments().map(\.id).filter { !before.contains($0) }
    #expect(before.count == 2 && added.count == 1 && added[0] > before.max() ?? 0, "\(before) then \(added)")
    #expect(try AuditVerification.verify(store: target).isIntact)

    let again = #expect(throws: TrackingError.self) { try StoreMigration.migrate(from: source, named: from.name, to: target, named: to.name) }
    #expect(again?.code == .storeNotEmpty && again?.message.contains("already holds") == true)
  }
}

/// A value compared across databases: the same text for what each keeps in its own type
/// (PostgreSQL's booleans, SQLite's 1 and 0; whole numbers kept as reals).
struct SQLValueText: Equatable, CustomStringConvertible {
  let description: String
  init(_ value: SQLValue) {
    switch value {
    case .boolean(let flag): description = flag ? "1" : "0"
    case .real(let number) where number == number.rounded() && abs(number) < 1e15: description = "\(Int64(number))"
    case .real(let number): description = "\(number)"
    case .integer(let number): description = "\(number)"
    case .text(let text): description = "'\(text)'"
    case .blob(let bytes): description = "x\(bytes.map { String(format: "%02x", $0) }.joined())"
    case .null: description = "NULL"
    }
  }
}
