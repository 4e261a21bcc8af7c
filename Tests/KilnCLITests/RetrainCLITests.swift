import Foundation
import Testing
import KilnTracking

@Suite struct RetrainCLITests {
  /// Runs the pipeline (v1), approves v1 into production, and returns the project and v1's run id.
  func projectWithProductionChampion() throws -> (PipelineProject, String) {
    let project = try PipelineProject()
    let first = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    try #require(first.status == 0, "\(first.stderr)")
    let runLine = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("train ") && $0.contains(" run ") })
    let runID = String(try #require(runLine.split(separator: " ").last))
    try "production:\n  approvers: [risk-officer]\n".write(to: project.root.appendingPathComponent("experiments/governance.yaml"),
                                                          atomically: true, encoding: .utf8)
    let promoted = try runKiln(["promote", runID, "--model", "toy-model", "--to", "production", "--approved-by", "risk-officer"],
                               in: project.root)
    try #require(promoted.status == 0, "\(promoted.stderr)")
    return (project, runID)
  }

  func promotion(_ file: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
  }

  func fingerprint(_ file: URL) throws -> String {
    let lineage = try promotion(file)["lineage"] as? [String: Any]
    return try #require(lineage?["dataset_fingerprint"] as? String)
  }

  func rocGate(_ file: URL) throws -> [String: Any] {
    let gates = try #require(try promotion(file)["gates"] as? [[String: Any]])
    return try #require(gates.first { $0["metric"] as? String == "test.roc_auc" })
  }

  @Test func retrainingWithNewRowsVersionsTheDatasetAndGatesTheChallengerAgainstTheChampion() throws {
    let (project, _) = try projectWithProductionChampion()
    try PipelineProject.rows(120, seed: 9).write(to: project.root.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
    let result = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "new.csv", "--quiet"], in: project.root)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("toy-model v2"))
    #expect(result.stdout.contains("dataset: toy v2"))

    let version = project.root.appendingPathComponent("datasets/toy/versions/v2")
    for name in ["dataset.yaml", "toy-train.csv", "toy.h5"] {
      #expect(FileManager.default.fileExists(atPath: version.appendingPathComponent(name).path), "missing \(name)")
    }
    let recipe = try String(contentsOf: version.appendingPathComponent("dataset.yaml"), encoding: .utf8)
    #expect(recipe.contains("version: \"2\""))
    let train = try String(contentsOf: version.appendingPathComponent("toy-train.csv"), encoding: .utf8)
    #expect(train.split(separator: "\n").count == 1 + 400 + 120)

    let reports = project.root.appendingPathComponent("reports/toy-model")
    let first = try fingerprint(reports.appendingPathComponent("v1/promotion.json"))
    let second = try fingerprint(reports.appendingPathComponent("v2/promotion.json"))
    #expect(first != second)
    let championValue = try #require(try rocGate(reports.appendingPathComponent("v1/promotion.json"))["observed"] as? Double)
    let challengerGate = try rocGate(reports.appendingPathComponent("v2/promotion.json"))
    let comparedWith = try #require(challengerGate["champion"] as? Double, "\(challengerGate)")
    #expect(abs(comparedWith - championValue) < 1e-12)

    let store = try SQLiteTrackingStore(databaseFile: project.root.appendingPathComponent(".kiln/kiln.sqlite"))
    let events = try store.auditEvents()
    let versioned = try #require(events.first { $0.kind == AuditEventKind("dataset.versioned") })
    #expect(versioned.payload.contains(first) && versioned.payload.contains(second))
    let retrained = try #require(events.first { $0.kind == AuditEventKind("model.retrained") })
    #expect(retrained.payload.contains(first))
    let runID = try #require(retrained.runID)
    #expect(try store.tags(runID: runID)["retrain.parent_dataset_fingerprint"] == first)
    let audit = try runKiln(["audit", "verify"], in: project.root)
    #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
  }

  @Test func aRetrainedModelTheGatesRejectExitsThreeLikeThePipeline() throws {
    let project = try PipelineProject()
    let first = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    try #require(first.status == 0, "\(first.stderr)")
    // An accuracy gate out of reach: the retrained version is registered and reported, not staged.
    let experiment = project.root.appendingPathComponent("experiments/toy.yaml")
    let raised = try String(contentsOf: experiment, encoding: .utf8).replacingOccurrences(of: "min: 0.6}", with: "min: 0.999}")
    try raised.write(to: experiment, atomically: true, encoding: .utf8)
    try PipelineProject.rows(120, seed: 9).write(to: project.root.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
    let result = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "new.csv", "--quiet"], in: project.root)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stdout.contains("REJECT") && result.stdout.contains("toy-model v2"), "\(result.stdout)")
    let promotion = try promotion(project.root.appendingPathComponent("reports/toy-model/v2/promotion.json"))
    #expect(promotion["decision"] as? String == "reject" && promotion["stage"] as? String == "none")
  }

  @Test func replacingTheTrainingDataKeepsOnlyTheNewRowsAndTheNextRetrainBuildsOnIt() throws {
    let project = try PipelineProject()
    try PipelineProject.rows(150, seed: 9).write(to: project.root.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
    let result = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "new.csv", "--replace", "--quiet"], in: project.root)
    #expect(result.status == 0, "\(result.stderr)")
    let train = try String(contentsOf: project.root.appendingPathComponent("datasets/toy/versions/v2/toy-train.csv"), encoding: .utf8)
    #expect(train.split(separator: "\n").count == 1 + 150)

    let next = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "new.csv", "--quiet"], in: project.root)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(next.stdout.contains("dataset: toy v3") && next.stdout.contains("(parent v2 "))
    let grown = try String(contentsOf: project.root.appendingPathComponent("datasets/toy/versions/v3/toy-train.csv"), encoding: .utf8)
    #expect(grown.split(separator: "\n").count == 1 + 150 + 150)
  }

  @Test func badNewDataIsRejectedWithItsFileAndLineAndWritesNoVersion() throws {
    let project = try PipelineProject()
    try "x1,x2,group,y\n0.1,0.2,a,yes\n0.3,a,no\n".write(to: project.root.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
    let malformed = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "bad.csv", "--quiet"], in: project.root)
    #expect(malformed.status != 0)
    #expect(malformed.stderr.contains("bad.csv:3"))
    #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("datasets/toy/versions/v2").path))

    let missing = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "absent.csv", "--quiet"], in: project.root)
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("absent.csv"))

    try FileManager.default.removeItem(at: project.root.appendingPathComponent("datasets/toy/dataset.yaml"))
    let noRecipe = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "bad.csv", "--quiet"], in: project.root)
    #expect(noRecipe.status != 0)
    #expect(noRecipe.stderr.contains("no recipe"))
  }

  @Test func retrainTakesTheNamedSweepsBestTrialOrIgnoresSweepsLikeThePipeline() throws {
    let project = try PipelineProject()
    defer { try? FileManager.default.removeItem(at: project.root) }
    try project.addSweep()
    let imported = try runKiln(["dataset", "import", "datasets/toy/dataset.yaml"], in: project.root)
    try #require(imported.status == 0, "\(imported.stderr)")
    let sweep = try runKiln(["sweep", "experiments/toy.yaml"], in: project.root)
    try #require(sweep.status == 0, "\(sweep.stderr)")
    let firstLine = try #require(sweep.stdout.split(separator: "\n").first { $0.hasPrefix("sweep ") })
    let sweepID = String(try #require(firstLine.split(separator: " ").dropFirst().first).dropLast())
    try PipelineProject.rows(100, seed: 9).write(to: project.root.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)

    let both = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "new.csv", "--sweep", sweepID, "--ignore-sweeps"],
                           in: project.root)
    #expect(both.status != 0)
    #expect(both.stderr.contains("exclude each other"))

    let swept = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "new.csv", "--sweep", sweepID, "--quiet"], in: project.root)
    #expect(swept.status == 0, "\(swept.stderr)")
    #expect(swept.stderr.contains("of sweep \(sweepID) is the best"))
    let tagged = try runKiln(["runs", "list", "--where", "tags.sweep.source = '\(sweepID)' and tags.retrain.dataset_version = '2'", "--json"],
                             in: project.root)
    #expect(tagged.status == 0, "\(tagged.stderr)")
    let taggedRuns = try #require(try JSONSerialization.jsonObject(with: Data(tagged.stdout.utf8)) as? [[String: Any]])
    #expect(taggedRuns.count == 1, "\(tagged.stdout)")

    let plain = try runKiln(["retrain", "experiments/toy.yaml", "--new-data", "new.csv", "--ignore-sweeps", "--quiet"], in: project.root)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(!plain.stderr.contains("is the best"))
    #expect(plain.stdout.contains("dataset: toy v3"))
  }
}

