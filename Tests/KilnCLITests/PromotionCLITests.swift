import Foundation
import KilnSQLite
import Testing
import KilnTracking

/// A project with runs ready for promotion: an experiment configuration with gates, a
/// checkpoint artifact, dataset lineage and final test metrics.
struct PromotableProject {
  let root: URL
  let tracker: Tracker

  init(policy: String = "production:\n  approvers: [ana]\n") throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-promote-cli-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent(".kiln"), withIntermediateDirectories: true)
    try policy.write(to: root.appendingPathComponent("experiments/governance.yaml"), atomically: true, encoding: .utf8)
    tracker = try Tracker(storeDirectory: root.appendingPathComponent(".kiln"))
  }

  static let configuration = """
    {"name": "adult", "dataset": "datasets/adult/adult.h5", "model": {"kind": "mlp", "hidden": [8]},
     "training": {"epochs": 2, "batch_size": 32, "seed": 7, "optimizer": {"kind": "adam", "lr": 0.001}},
     "gates": [{"metric": "test.accuracy", "min": 0.8}, {"metric": "test.roc_auc", "vs": "champion", "min_delta": -0.01}],
     "card": {"overview": "Income <script>alert(1)</script> model", "owners": ["Data team"]}}
    """

  /// A finished run with `test.accuracy` = accuracy and `test.roc_auc` = auc.
  func run(accuracy: Double, auc: Double) throws -> String {
    let run = try tracker.startRun(experiment: "adult", configuration: RunConfiguration(text: Self.configuration, parameters: [:]),
                                   sourceVersion: SourceVersion(commit: "0123456789abcdef", isDirty: false))
    for epoch in 1...3 { try run.log(metrics: ["validation.loss": 1 / Double(epoch), "train.loss": 1.2 / Double(epoch)], step: epoch) }
    try run.log(metrics: ["test.accuracy": accuracy, "test.roc_auc": auc], step: 3)
    let checkpoint = root.appendingPathComponent("\(run.id).h5")
    try Data("weights \(accuracy)".utf8).write(to: checkpoint)
    try run.logArtifact(file: checkpoint, name: "model/checkpoint.h5")
    try run.recordInput(dataset: DatasetReference(name: "adult", version: "1", fingerprint: String(repeating: "d", count: 64), split: "train"))
    try run.finish()
    return run.id
  }

  func events() throws -> [AuditEvent] { try tracker.store.auditEvents() }

  func database() throws -> SQLiteDatabase { try SQLiteDatabase(file: root.appendingPathComponent(".kiln/kiln.sqlite"), access: .readWrite, busyTimeout: 5) }
}

@Suite struct PromotionCLITests {
  @Test func aPassingRunGoesToStagingWithItsReports() throws {
    let project = try PromotableProject()
    let run = try project.run(accuracy: 0.85, auc: 0.9)
    let result = try runKiln(["promote", run, "--model", "adult"], in: project.root)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("adult v1 → staging"))
    for name in ["model-card.md", "model-card.html", "model-card.json", "promotion.json"] {
      #expect(FileManager.default.fileExists(atPath: project.root.appendingPathComponent("reports/adult/v1/\(name)").path), "missing \(name)")
    }
    let html = try String(contentsOf: project.root.appendingPathComponent("reports/adult/v1/model-card.html"), encoding: .utf8)
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script"))
    #expect(try project.events().map(\.kind).contains(.gateEvaluated))
  }

  @Test func aFailingRunIsRefusedUnlessForcedWithAReason() throws {
    let project = try PromotableProject()
    let run = try project.run(accuracy: 0.7, auc: 0.9)
    let refused = try runKiln(["promote", run, "--model", "adult"], in: project.root)
    #expect(refused.status == 3, "the gates' refusal exits 3, as the pipeline's: \(refused.stderr)")
    #expect(refused.stderr.contains("REJECT") && refused.stderr.contains("test.accuracy"))
    let noReason = try runKiln(["promote", run, "--model", "adult", "--force"], in: project.root)
    #expect(noReason.status != 0 && noReason.stderr.contains("--reason"))
    let forced = try runKiln(["promote", run, "--model", "adult", "--force", "--reason", "needed for the demo"], in: project.root)
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stdout.contains("OVERRIDDEN"))
    let promotion = try JSONSerialization.jsonObject(with: Data(contentsOf: project.root.appendingPathComponent("reports/adult/v1/promotion.json"))) as? [String: Any]
    #expect(promotion?["forced"] as? Bool == true && promotion?["decision"] as? String == "reject")
    let override = try #require(try project.events().first { $0.kind == .modelGateOverridden })
    #expect(override.payload.contains("needed for the demo"))
  }

  @Test func productionNeedsAnApproverFromThePolicy() throws {
    let project = try PromotableProject()
    let run = try project.run(accuracy: 0.85, auc: 0.9)
    let missing = try runKiln(["promote", run, "--model", "adult", "--to", "production"], in: project.root)
    #expect(missing.status != 0 && missing.stderr.contains("needs an approver"))
    let stranger = try runKiln(["promote", run, "--model", "adult", "--to", "production", "--approved-by", "mallory"], in: project.root)
    #expect(stranger.status != 0 && stranger.stderr.contains("'mallory' may not approve"))
    let approved = try runKiln(["promote", run, "--model", "adult", "--to", "production", "--approved-by", "ana"], in: project.root)
    #expect(approved.status == 0, "\(approved.stderr)")
    let show = try runKiln(["models", "show", "adult"], in: project.root)
    #expect(show.stdout.contains("production") && show.stdout.contains("champion"))
    #expect(try project.events().contains { $0.kind == .modelApproved && $0.payload.contains("\"approver\":\"ana\"") })
  }

  @Test func aMalformedPolicyIsAnErrorNamingTheKey() throws {
    let project = try PromotableProject(policy: "production:\n  aprovers: [ana]\n")
    let run = try project.run(accuracy: 0.85, auc: 0.9)
    let result = try runKiln(["promote", run, "--model", "adult", "--to", "production", "--approved-by", "ana"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("governance.yaml:2") && result.stderr.contains("aprovers"))
  }

  @Test func rollbackReturnsProductionToThePreviousChampion() throws {
    let project = try PromotableProject()
    let first = try project.run(accuracy: 0.85, auc: 0.9), second = try project.run(accuracy: 0.86, auc: 0.91)
    for run in [first, second] {
      let result = try runKiln(["promote", run, "--model", "adult", "--to", "production", "--approved-by", "ana"], in: project.root)
      #expect(result.status == 0, "\(result.stderr)")
    }
    let rollback = try runKiln(["models", "rollback", "adult", "--by", "ana", "--reason", "latency"], in: project.root)
    #expect(rollback.status == 0 && rollback.stdout.contains("rolled back to v1"))
    let list = try runKiln(["models", "list", "--json"], in: project.root)
    let models = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
    #expect(models?.first?["champion_version"] as? Int == 1)
    #expect(try runKiln(["audit", "verify"], in: project.root).status == 0)
  }

  @Test func theChampionGateComparesWithTheProductionModel() throws {
    let project = try PromotableProject()
    let champion = try project.run(accuracy: 0.85, auc: 0.9), worse = try project.run(accuracy: 0.85, auc: 0.8)
    _ = try runKiln(["promote", champion, "--model", "adult", "--to", "production", "--approved-by", "ana"], in: project.root)
    let result = try runKiln(["promote", worse, "--model", "adult"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("champion"))
  }

  @Test func auditVerifyDetectsAnEditedOrDeletedRegistryEvent() throws {
    let project = try PromotableProject()
    let run = try project.run(accuracy: 0.85, auc: 0.9)
    _ = try runKiln(["promote", run, "--model", "adult", "--to", "production", "--approved-by", "ana"], in: project.root)
    #expect(try runKiln(["audit", "verify"], in: project.root).status == 0)
    let stageChange = try #require(try project.events().last { $0.kind == .modelStageChanged })
    let sqlite = try project.database()
    try sqlite.write { db in
      try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_update")
      try db.execute(sql: "DROP TRIGGER audit_event_is_append_only_delete")
      try db.execute(sql: "UPDATE audit_event SET payload = replace(payload, 'ana', 'eve') WHERE sequence = ?", arguments: [stageChange.sequence])
    }
    let edited = try runKiln(["audit", "verify"], in: project.root)
    #expect(edited.status != 0 && edited.stderr.contains("event \(stageChange.sequence)"))
    try sqlite.write { db in
      try db.execute(sql: "UPDATE audit_event SET payload = ? WHERE sequence = ?", arguments: [stageChange.payload, stageChange.sequence])
      try db.execute(sql: "DELETE FROM audit_event WHERE sequence >= ?", arguments: [stageChange.sequence])
    }
    let deleted = try runKiln(["audit", "verify"], in: project.root)
    #expect(deleted.status != 0 && deleted.stderr.contains("event \(stageChange.sequence) is missing"))
  }
}
