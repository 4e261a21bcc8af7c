import Foundation
import Testing

/// `--json` on every command that prints results, with one key style: every key of every JSON
/// output of a small project is snake_case (no camelCase hump), and an error with `--json` is one
/// JSON object on standard error.
@Suite struct JSONOutputCLITests {
  /// The keys of `value` and everything inside it.
  func keys(_ value: Any) -> [String] {
    if let object = value as? [String: Any] { return object.keys + object.values.flatMap(keys) }
    if let array = value as? [Any] { return array.flatMap(keys) }
    return []
  }

  /// Runs `kiln ARGUMENTS --json` (which must exit with one of `statuses`) and parses its standard output.
  func jsonOutput(_ arguments: [String], in project: PipelineProject, statuses: Set<Int32> = [0]) throws -> Any {
    let result = try runKiln(arguments + ["--json"], in: project.root)
    try #require(statuses.contains(result.status), "kiln \(arguments.joined(separator: " ")): \(result.stderr)")
    do {
      return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    } catch {
      Issue.record("kiln \(arguments.joined(separator: " ")) --json printed no JSON: \(result.stdout.prefix(300))")
      return [:] as [String: Any]
    }
  }

  @Test func everyJSONOutputOfAProjectHasSnakeCaseKeys() throws {
    let project = try PipelineProject()
    defer { try? FileManager.default.removeItem(at: project.root) }
    var found: [String] = []
    let hump = try Regex("[a-z0-9][A-Z]")
    func check(_ arguments: [String], statuses: Set<Int32> = [0]) throws -> [String: Any] {
      let value = try jsonOutput(arguments, in: project, statuses: statuses)
      found += keys(value).filter { $0.contains(hump) }.map { "kiln \(arguments.prefix(2).joined(separator: " ")): \($0)" }
      return value as? [String: Any] ?? [:]
    }
    let pipeline = try check(["pipeline", "experiments/toy.yaml", "--quiet"])
    let run = try #require(pipeline["run_id"] as? String)
    let train = try check(["train", "experiments/toy.yaml"])
    let second = try #require(train["run_id"] as? String)
    let dataset = "datasets/toy/toy.h5", test = "datasets/toy/test.csv"
    _ = try check(["dataset", "import", "datasets/toy/dataset.yaml", "--output", "copy.h5"])
    _ = try check(["dataset", "inspect", dataset])
    _ = try check(["dataset", "validate", dataset])
    _ = try check(["dataset", "synthesize", "synthetic.h5", "--rows", "40"])
    let exported = try check(["dataset", "export", dataset, "--split", "test", "--output", "test-rows.csv"])
    #expect(exported["output"] as? String == "test-rows.csv" && exported["split"] as? String == "test", "\(exported)")
    #expect((exported["rows"] as? Int ?? 0) > 0 && exported["files"] as? [String] == ["test.csv"], "\(exported)")
    _ = try check(["runs", "list"])
    _ = try check(["runs", "show", run])
    _ = try check(["runs", "compare", run, second])
    _ = try check(["runs", "export", run, "runs.csv", "--format", "csv"])
    _ = try check(["evaluate", "--run", run])
    _ = try check(["models", "list"])
    _ = try check(["models", "show", "toy-model"])
    _ = try check(["promote", second, "--model", "toy-model", "--force", "--reason", "a JSON test"])
    _ = try check(["predict", "--run", run, "--input", test, "--output", "scores.csv"])
    _ = try check(["drift", "--run", run, "--current", test, "--no-report"])
    _ = try check(["monitor", "--run", run, "--labelled", test, "--no-report"])
    _ = try check(["compare-models", run, second, "--input", test, "--resamples", "0"])
    var audited = "y,decision,score,group\n"
    for row in 0..<40 { audited += "\(row % 2),\(row % 3 == 0 ? 1 : 0),0.\(row % 10),\(row % 4 == 0 ? "a" : "b")\n" }
    try audited.write(to: project.root.appendingPathComponent("audited.csv"), atomically: true, encoding: .utf8)
    _ = try check(["fairness", "audited.csv", "--label", "y", "--prediction", "decision", "--score", "score",
                   "--sensitive", "group", "--resamples", "0"])
    let key = project.root.appendingPathComponent("signer.key").path
    _ = try check(["keys", "generate", "--out", key])
    _ = try check(["audit", "checkpoint", "--key", key])
    _ = try check(["audit", "verify"])
    try PipelineProject.rows(60, seed: 9).write(to: project.root.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
    _ = try check(["retrain", "experiments/toy.yaml", "--new-data", "new.csv", "--quiet"], statuses: [0, 3])
    try project.addSweep()
    let sweep = try check(["sweep", "experiments/toy.yaml"])
    let sweepID = try #require((sweep["sweep"] as? [String: Any])?["id"] as? String, "\(sweep)")
    #expect((sweep["trials"] as? [[String: Any]])?.count == 2, "\(sweep)")
    let shown = try check(["sweep", "show", sweepID])
    let plan = try #require(shown["plan"] as? [String: Any], "\(shown)")
    let objectives = plan["objectives"] as? [[String: Any]]
    #expect(objectives?.first?["metric"] as? String == "validation.roc_auc" && plan["batch_size"] as? Int == 4, "\(plan)")
    let trials = try #require(shown["trials"] as? [[String: Any]])
    #expect(trials.count == 2 && trials.allSatisfy { $0["state"] as? String == "complete" && $0["run"] is String }, "\(trials)")
    #expect((shown["best"] as? [String: Any])?["overrides"] is [String], "\(shown)")
    _ = try check(["runs", "delete", second])
    #expect(found.isEmpty, "camelCase keys: \(found)")
  }

  @Test func approveAndRollbackPrintTheirResultsAsJSON() throws {
    let signing = try SigningProject(requireSigned: false)
    let project = signing.project
    let hump = try Regex("[a-z0-9][A-Z]")
    func check(_ arguments: [String]) throws -> [String: Any] {
      let result = try runKiln(arguments + ["--json"], in: project.root)
      try #require(result.status == 0, "kiln \(arguments.joined(separator: " ")): \(result.stderr)")
      let value = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
      #expect(keys(value).filter { $0.contains(hump) }.isEmpty, "camelCase keys in kiln \(arguments[0]): \(keys(value))")
      return value
    }
    let approved = try check(["approve", "adult:1", "--as", "ana", "--key", signing.ana.privateFile.path])
    let file = try #require(approved["file"] as? String)
    #expect(file.hasSuffix("reports/adult/v1/approval-production-ana.json") && FileManager.default.fileExists(atPath: file), "\(approved)")
    let approval = try #require(approved["approval"] as? [String: Any], "\(approved)")
    #expect(approval["approver"] as? String == "ana" && approval["model"] as? String == "adult", "\(approval)")
    #expect(approval["version"] as? Int == 1 && approval["stage"] as? String == "production", "\(approval)")
    #expect(approval["run_id"] as? String == signing.run, "\(approval)")
    let first = try runKiln(["promote", signing.run, "--model", "adult", "--to", "production", "--approval", file], in: project.root)
    try #require(first.status == 0, "\(first.stderr)")
    let next = try project.run(accuracy: 0.86, auc: 0.91)
    let second = try runKiln(["promote", next, "--model", "adult", "--to", "production", "--approved-by", "ana"], in: project.root)
    try #require(second.status == 0, "\(second.stderr)")
    let rollback = try check(["models", "rollback", "adult", "--by", "ana", "--reason", "a JSON test"])
    #expect(rollback["model"] as? String == "adult" && rollback["version"] as? Int == 1, "\(rollback)")
    #expect(rollback["stage"] as? String == "production", "\(rollback)")
  }

  @Test func anErrorWithJSONIsOneObjectOnStandardError() throws {
    let project = try PipelineProject()
    defer { try? FileManager.default.removeItem(at: project.root) }
    let result = try runKiln(["dataset", "inspect", "missing.h5", "--json"], in: project.root)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let error = try #require(try JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: String], "\(result.stderr)")
    #expect(error["error"]?.contains("missing.h5") == true, "\(error)")
    let plain = try runKiln(["dataset", "inspect", "missing.h5"], in: project.root)
    #expect(plain.status == 1 && plain.stderr.hasPrefix("error: "), "\(plain.stderr)")
  }
}
