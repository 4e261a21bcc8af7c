import Foundation
import Testing
import KilnTracking

/// A project directory with a tracking store holding two finished runs of "adult" (a parent with
/// one child) and one failed run of "credit".
struct TrackedProject {
  let root: URL
  let tracker: Tracker
  var runIDs: [String] = []

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-runs-cli-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent(".kiln"), withIntermediateDirectories: true)
    tracker = try Tracker(storeDirectory: root.appendingPathComponent(".kiln"))
    let parent = try startRun(name: "baseline", batchSize: 128, accuracy: 0.80, parent: nil)
    let child = try startRun(name: "tuned", batchSize: 256, accuracy: 0.90, parent: parent)
    let other = try tracker.startRun(experiment: "credit", name: "broken")
    try other.finish(.failed)
    runIDs = [parent, child, other.id]
  }

  func startRun(name: String, batchSize: Double, accuracy: Double, parent: String?) throws -> String {
    let configuration = RunConfiguration(json: .object([
      "training": .object(["batch_size": .number(batchSize), "epochs": .number(10)]),
    ]))
    let run = try tracker.startRun(experiment: "adult", name: name, parent: parent, configuration: configuration, seed: 7,
                                   commandLine: ["kiln", "train", "experiments/adult.yaml"])
    for step in 0..<20 {
      try run.log(metrics: ["train.loss": 1.0 / Double(step + 1), "test.accuracy": accuracy * Double(step + 1) / 20], step: step)
    }
    try run.setTag("owner", "ana")
    let file = root.appendingPathComponent("\(name).bin")
    try Data("weights of \(name)".utf8).write(to: file)
    try run.logArtifact(file: file, name: "model/weights.bin")
    try run.recordInput(dataset: DatasetReference(name: "adult", version: "1", fingerprint: String(repeating: "f", count: 64), split: "train"))
    try run.finish(.finished)
    return run.id
  }
}

@Suite struct RunsCLITests {
  @Test func listPrintsATableNewestFirst() throws {
    let project = try TrackedProject()
    let result = try runKiln(["runs", "list"], in: project.root)
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("ID") == true)
    #expect(lines.count == 4)
    #expect(lines[1].contains("broken") && lines[1].contains("failed"))
  }

  @Test func listFiltersWithWhereAndSortsByAMetric() throws {
    let project = try TrackedProject()
    let result = try runKiln(["runs", "list", "--experiment", "adult", "--where",
                              "metrics.test.accuracy > 0.5 and params.training.batch_size = 256",
                              "--sort", "-metrics.test.accuracy"], in: project.root)
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[0].contains("test.accuracy"))
    #expect(lines[1].hasPrefix(String(project.runIDs[1].prefix(8))))
    #expect(lines[1].contains("0.9"))
  }

  @Test func listAsJSONCarriesMetrics() throws {
    let project = try TrackedProject()
    let result = try runKiln(["runs", "list", "--status", "finished", "--limit", "1", "--sort", "metrics.test.accuracy", "--json"], in: project.root)
    #expect(result.status == 0)
    let value = try JSONValue.parse(result.stdout)
    guard case .array(let runs) = value, case .object(let run)? = runs.first else {
      Issue.record("expected a JSON array of runs, got \(result.stdout)")
      return
    }
    #expect(runs.count == 1)
    #expect(run["id"] == .string(project.runIDs[0]))
    guard case .object(let metrics)? = run["metrics"], case .number(let accuracy)? = metrics["test.accuracy"] else {
      Issue.record("expected metrics in \(run)")
      return
    }
    #expect(abs(accuracy - 0.80) < 1e-9)
  }

  @Test func aFilterThatDoesNotParsePointsAtTheColumn() throws {
    let project = try TrackedProject()
    let result = try runKiln(["runs", "list", "--where", "metrics.test.accuracy >> 0.85"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("column 23"))
    #expect(result.stderr.contains("metrics.test.accuracy >> 0.85"))
  }

  @Test func showPrintsConfigurationMetricsArtifactsLineageAndFamily() throws {
    let project = try TrackedProject()
    let result = try runKiln(["runs", "show", String(project.runIDs[0].prefix(10))], in: project.root)
    #expect(result.status == 0)
    let text = result.stdout
    #expect(text.contains("run \(project.runIDs[0])"))
    #expect(text.contains("training.batch_size = 128"))
    #expect(text.contains("model/weights.bin"))
    #expect(text.contains("adult") && text.contains("train"))
    #expect(text.contains(String(project.runIDs[1].prefix(8))))
    #expect(text.contains("▁") && text.contains("█"))
    let lossLine = try #require(text.split(separator: "\n").first { $0.contains("train.loss") })
    #expect(lossLine.contains("0.05"))
  }

  @Test func anUnknownRunIDIsNamedWithAHint() throws {
    let project = try TrackedProject()
    let result = try runKiln(["runs", "show", "0123456789abcdef"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("0123456789abcdef"))
    #expect(result.stderr.contains("kiln runs list"))
  }

  @Test func compareShowsOnlyTheParamsThatDiffer() throws {
    let project = try TrackedProject()
    let result = try runKiln(["runs", "compare", project.runIDs[0], project.runIDs[1]], in: project.root)
    #expect(result.status == 0)
    #expect(result.stdout.contains("training.batch_size"))
    #expect(!result.stdout.contains("training.epochs"))
    let accuracy = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("test.accuracy") })
    #expect(accuracy.contains("0.8") && accuracy.contains("0.9"))
  }

  @Test func exportWritesCSVWithParamsAndMetrics() throws {
    let project = try TrackedProject()
    let output = project.root.appendingPathComponent("runs.csv")
    let result = try runKiln(["runs", "export", "--experiment", "adult", "--format", "csv", output.path], in: project.root)
    #expect(result.status == 0)
    let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("id,experiment,name,status"))
    #expect(lines[0].contains("params.training.batch_size") && lines[0].contains("metrics.test.accuracy"))
  }

  @Test func exportWritesJSONWithMetricHistories() throws {
    let project = try TrackedProject()
    let output = project.root.appendingPathComponent("runs.json")
    let result = try runKiln(["runs", "export", project.runIDs[1], "--format", "json", output.path], in: project.root)
    #expect(result.status == 0)
    guard case .array(let runs) = try JSONValue.parse(String(contentsOf: output, encoding: .utf8)),
          case .object(let run)? = runs.first, case .object(let metrics)? = run["metrics"],
          case .array(let loss)? = metrics["train.loss"] else {
      Issue.record("unexpected JSON export")
      return
    }
    #expect(loss.count == 20)
  }

  @Test func exportWritesMLflowsFileStoreLayout() throws {
    let project = try TrackedProject()
    let output = project.root.appendingPathComponent("mlruns")
    let runID = project.runIDs[1]
    let result = try runKiln(["runs", "export", runID, "--format", "mlflow", output.path], in: project.root)
    #expect(result.status == 0)
    let record = try project.tracker.run(id: runID)
    let experiment = output.appendingPathComponent(String(record.experimentID))
    let experimentMeta = try yamlFields(experiment.appendingPathComponent("meta.yaml"))
    #expect(Set(experimentMeta.keys) == ["artifact_location", "creation_time", "experiment_id", "last_update_time", "lifecycle_stage", "name"])
    #expect(experimentMeta["name"] == "'adult'")
    #expect(experimentMeta["experiment_id"] == "'\(record.experimentID)'")
    let run = experiment.appendingPathComponent(runID)
    let runMeta = try yamlFields(run.appendingPathComponent("meta.yaml"))
    #expect(Set(runMeta.keys) == ["artifact_uri", "end_time", "entry_point_name", "experiment_id", "lifecycle_stage", "run_id",
                                  "run_name", "run_uuid", "source_name", "source_type", "source_version", "start_time",
                                  "status", "tags", "user_id"])
    #expect(runMeta["run_id"] == runID && runMeta["run_uuid"] == runID)
    #expect(runMeta["status"] == "3")
    #expect(runMeta["lifecycle_stage"] == "active")
    #expect(Int64(runMeta["start_time"] ?? "") == Int64((record.startTime.timeIntervalSince1970 * 1000).rounded()))
    #expect(try String(contentsOf: run.appendingPathComponent("params/training.batch_size"), encoding: .utf8) == "256")
    #expect(try String(contentsOf: run.appendingPathComponent("tags/mlflow.runName"), encoding: .utf8) == "tuned")
    #expect(try String(contentsOf: run.appendingPathComponent("tags/mlflow.parentRunId"), encoding: .utf8) == project.runIDs[0])
    let metricLines = try String(contentsOf: run.appendingPathComponent("metrics/train.loss"), encoding: .utf8).split(separator: "\n")
    #expect(metricLines.count == 20)
    for (step, line) in metricLines.enumerated() {
      let fields = line.split(separator: " ")
      #expect(fields.count == 3)
      #expect(Int64(fields[0]) != nil)
      #expect(abs((Double(fields[1]) ?? .nan) - 1.0 / Double(step + 1)) < 1e-12)
      #expect(Int(fields[2]) == step)
    }
    #expect(try Data(contentsOf: run.appendingPathComponent("artifacts/model/weights.bin")) == Data("weights of tuned".utf8))
    for folder in ["artifacts", "metrics", "params", "tags"] {
      var isDirectory: ObjCBool = false
      #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(folder).path, isDirectory: &isDirectory) && isDirectory.boolValue)
    }
    #expect(runMeta["artifact_uri"] == "'file://\(run.appendingPathComponent("artifacts").path)'")
  }

  @Test func deleteHidesTheRunAndIsAudited() throws {
    let project = try TrackedProject()
    let deleted = try runKiln(["runs", "delete", project.runIDs[2]], in: project.root)
    #expect(deleted.status == 0)
    let listed = try runKiln(["runs", "list"], in: project.root)
    #expect(!listed.stdout.contains("broken"))
    #expect(try project.tracker.store.auditEvents().last?.kind == .runDeleted)
    let verified = try runKiln(["audit", "verify"], in: project.root)
    #expect(verified.status == 0)
    #expect(verified.stdout.contains("intact"))
  }

  /// The `key: value` lines of a flat YAML mapping.
  func yamlFields(_ url: URL) throws -> [String: String] {
    var fields: [String: String] = [:]
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return fields
  }
}
