import Foundation
import Testing

/// What CI may rely on from `kiln pipeline`: its exit statuses, its JSON, checks made before
/// training, names that stay inside the project, and no version left without its reports.
@Suite struct PipelineContractCLITests {
  /// Rewrites the project's experiment file with `edit` applied to its text.
  func editExperiment(_ project: PipelineProject, _ edit: (String) -> String) throws {
    let file = project.root.appendingPathComponent("experiments/toy.yaml")
    try edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
  }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
  }

  @Test func aRejectionExitsWithItsOwnStatusAndJSONSaysWhy() throws {
    let project = try PipelineProject(accuracyGate: 0.999)
    let rejected = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet", "--json"], in: project.root)
    #expect(rejected.status == 3, "\(rejected.stderr)")
    let result = try json(rejected.stdout)
    #expect(result["decision"] as? String == "reject")
    #expect(result["stage"] as? String == "none")
    #expect(result["version"] as? Int == 1)
    #expect(result["model"] as? String == "toy-model")
    #expect((result["run_id"] as? String)?.isEmpty == false)
    let gates = try #require(result["gates"] as? [[String: Any]])
    #expect(gates.first?["outcome"] as? String == "fail")
    #expect((result["reports"] as? [String])?.contains("reports/toy-model/v1/promotion.json") == true)
    #expect((result["metrics"] as? [String: Any])?["test.accuracy"] != nil)

    try editExperiment(project) { $0.replacingOccurrences(of: "min: 0.999", with: "min: 0.5") }
    let promoted = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet", "--json"], in: project.root)
    #expect(promoted.status == 0, "\(promoted.stderr)")
    #expect(try json(promoted.stdout)["decision"] as? String == "promote")
    #expect(try json(promoted.stdout)["stage"] as? String == "staging")

    let broken = try runKiln(["pipeline", "experiments/missing.yaml", "--quiet"], in: project.root)
    #expect(broken.status == 1)
    #expect(broken.stderr.hasPrefix("error: "))
  }

  @Test func setOverridesTheExperimentFile() throws {
    let project = try PipelineProject()
    let result = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet", "--set", "name=toy-set", "--set", "training.epochs=1"],
                             in: project.root)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("toy-set v1"))
    let typo = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet", "--set", "training.epochz=1"], in: project.root)
    #expect(typo.status == 1)
    #expect(typo.stderr.contains("did you mean `epochs`?"))
  }

  @Test func aGateOnAMetricTheEvaluationWillNotComputeFailsBeforeTraining() throws {
    let project = try PipelineProject()
    try editExperiment(project) {
      $0.replacingOccurrences(of: "metric: test.accuracy", with: "metric: test.acuracy")
        .replacingOccurrences(of: "metric: test.roc_auc, vs: champion", with: "metric: fairness.sex.demographic_parity_difference, vs: champion")
    }
    let result = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    #expect(result.status == 1)
    #expect(result.stderr.contains("experiments/toy.yaml:10:"), "\(result.stderr)")
    #expect(result.stderr.contains("gates[0].metric: no metric named `test.acuracy`"))
    #expect(result.stderr.contains("did you mean `test.accuracy`?"))
    // The dataset's only sensitive attribute is `group`: the second gate is named too, with its family.
    #expect(result.stderr.contains("gates[1].metric"))
    #expect(result.stderr.contains("fairness.group.demographic_parity_difference"))
    #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent(".kiln/runs").path), "training ran")
  }

  @Test func namesThatWouldLeaveTheProjectAreRefusedBeforeAnythingIsWritten() throws {
    let project = try PipelineProject()
    let outside = project.root.deletingLastPathComponent().appendingPathComponent("elsewhere-\(UUID().uuidString)")
    for name in ["../\(outside.lastPathComponent)", ".."] {
      try editExperiment(project) { text in
        text.split(separator: "\n", omittingEmptySubsequences: false)
          .map { $0.hasPrefix("name:") ? "name: \"\(name)\"" : String($0) }.joined(separator: "\n")
      }
      let result = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
      #expect(result.status == 1, "\(result.stdout)")
      #expect(result.stderr.contains("experiments/toy.yaml:1:7: name: `\(name)` is not a valid experiment name"), "\(result.stderr)")
      #expect(result.stderr.contains("letters, digits"))
    }
    #expect(!FileManager.default.fileExists(atPath: outside.path))
    #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("v1").path))
    #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent(".kiln/runs").path))
  }

  @Test func anUnwritableReportsFolderRegistersNothing() throws {
    let project = try PipelineProject()
    // A file where the folder should be: unwritable even for root, unlike a read-only mode.
    let reports = project.root.appendingPathComponent("reports")
    try Data("not a folder".utf8).write(to: reports)
    let failed = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("nothing was registered"), "\(failed.stderr)")
    let models = try runKiln(["models", "list", "--json"], in: project.root)
    #expect((try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [Any])?.isEmpty == true, "\(models.stdout)")

    try FileManager.default.removeItem(at: reports)
    let retried = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    #expect(retried.status == 0, "\(retried.stderr)")
    #expect(retried.stdout.contains("toy-model v1"))
  }

  @Test func aVersionRegisteredWithoutItsReportsIsFinishedByTheNextRun() throws {
    let project = try PipelineProject()
    #expect(try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root).status == 0)
    // What a pipeline killed between registering v1 and writing its reports leaves behind.
    let first = project.root.appendingPathComponent("reports/toy-model/v1")
    try FileManager.default.removeItem(at: first)
    let next = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(next.stdout.contains("toy-model v2"))
    for name in ["model-card.md", "model-card.html", "model-card.json", "promotion.json"] {
      #expect(FileManager.default.fileExists(atPath: first.appendingPathComponent(name).path), "v1 lacks \(name)")
    }
    #expect(try runKiln(["audit", "verify"], in: project.root).status == 0)
  }
}
