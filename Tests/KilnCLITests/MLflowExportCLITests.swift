import Foundation
import KilnRuns
import KilnSQLite
import KilnTracking
import Testing

/// `kiln runs export --format mlflow`, read back by MLflow's own Python client (the version that
/// scripts/install-deps pins in .venv/mlflow): the file-store layout, and the REST export to a
/// real `mlflow server` the test starts on a free port. Names MLflow refuses (`&`, `@`, `[`)
/// arrive escaped and decode to Kiln's; every parameter, tag and metric point, the dataset
/// lineage (as dataset inputs) and, on the server, the artifacts arrive.
@Suite(.serialized) struct MLflowExportCLITests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let python = repository.appendingPathComponent(".venv/mlflow/bin/python")

  /// A trained run, given names MLflow refuses, and Kiln's own JSON export of it.
  static func projectWithRun() throws -> (root: URL, runID: String, kiln: [String: Any]) {
    let root = try PostgresStoreCLITests.project()
    let trained = try runKiln(["train", "experiments/moons.yaml", "--quiet"], in: root, environment: ["KILN_STORE": ""])
    try #require(trained.status == 0, "\(trained.stderr)")
    let store = try SQLiteTrackingStore(databaseFile: root.appendingPathComponent(".kiln/kiln.sqlite"))
    let runID = try #require(try store.runs(matching: RunQuery()).first?.id)
    let time = Date(timeIntervalSince1970: 1_800_000_000)
    try store.appendMetrics((0..<3).map { MetricPoint(key: "fairness.sex&race.overall.calibration_error", step: Int64($0), value: 0.1 * Double($0), timestamp: time) }
                            + [MetricPoint(key: "ratio:max", step: 0, value: 2.5, timestamp: time)], runID: runID)
    try store.setParameters(runID: runID, ["weights[0]": "a=b", "..": "dots"], replacing: false)
    try store.setTag(runID: runID, key: "owner@team", value: "risk & fairness")
    let json = root.appendingPathComponent("kiln.json")
    let exported = try runKiln(["runs", "export", runID, "--format", "json", json.path], in: root, environment: ["KILN_STORE": ""])
    try #require(exported.status == 0, "\(exported.stderr)")
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [[String: Any]])
    return (root, runID, try #require(runs.first))
  }

  /// MLflow's client's view of every run at `uri`.
  static func readBack(_ uri: String, environment: [String: String] = [:]) throws -> [[String: Any]] {
    let result = try runCommand(python, [repository.appendingPathComponent("Tests/Support/mlflow/read_runs.py").path, uri],
                                environment: environment)
    try #require(result.status == 0, "MLflow's client failed on \(uri): \(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
  }

  /// What MLflow read must be Kiln's run: names decoded, values equal, lineage as dataset inputs.
  static func expectSameRun(_ mlflow: [String: Any], as kiln: [String: Any], runID: String) throws {
    let decode = { (names: [String: Any]) in Dictionary(uniqueKeysWithValues: names.map { (MLflowNames.decoded($0.key), $0.value) }) }
    #expect(mlflow["status"] as? String == "FINISHED")
    #expect(decode(try #require(mlflow["params"] as? [String: Any])) as? [String: String] == kiln["parameters"] as? [String: String])
    let tags = decode(try #require(mlflow["tags"] as? [String: Any])) as? [String: String] ?? [:]
    for (key, value) in kiln["tags"] as? [String: String] ?? [:] { #expect(tags[key] == value, "tag \(key)") }
    #expect(tags["owner@team"] == "risk & fairness" && tags["kiln.run_id"] == runID)
    let metrics = decode(try #require(mlflow["metrics"] as? [String: Any]))
    let kilnMetrics = try #require(kiln["metrics"] as? [String: [[String: Any]]])
    #expect(Set(metrics.keys) == Set(kilnMetrics.keys))
    for (key, points) in kilnMetrics {
      let read = metrics[key] as? [[String: Any]] ?? []
      #expect(read.map { $0["step"] as? Int } == points.map { $0["step"] as? Int }, "steps of \(key)")
      let values = read.map { ($0["value"] as? Double) ?? .nan }, expected = points.map { ($0["value"] as? Double) ?? .nan }
      #expect(zip(values, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } && values.count == expected.count, "values of \(key)")
    }
    #expect(metrics["fairness.sex&race.overall.calibration_error"] != nil && metrics["ratio:max"] != nil)
    let inputs = try #require(mlflow["inputs"] as? [[String: Any]])
    let lineage = try #require(kiln["inputs"] as? [[String: Any]])
    #expect(inputs.count == lineage.count && !lineage.isEmpty)
    for dataset in lineage {
      let match = inputs.first { input in
        let source = (input["source"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        return source?["fingerprint"] == dataset["fingerprint"] as? String && source?["version"] == dataset["version"] as? String
          && input["name"] as? String == dataset["name"] as? String
          && ((input["tags"] as? [String: String])?["mlflow.data.context"] ?? "") == dataset["split"] as? String
      }
      #expect(match != nil, "dataset input \(dataset)")
    }
  }

  @Test func namesMLflowRefusesAreEscapedAndDecodeExactly() {
    #expect(MLflowNames.encoded("fairness.sex&race.overall.calibration_error") == "fairness.sex:26race.overall.calibration_error")
    #expect(MLflowNames.encoded("ratio:max") == "ratio:3amax")
    #expect(MLflowNames.encoded("test.accuracy") == "test.accuracy")
    let names = ["a&b", "ratio:max", "x:26y", "caf\u{E9} \u{1F525}", "a//b", "/lead", "trail/", "..", ".", "..x", "a/./b", "a/../b",
                 "weights[0]", "owner@team", "", "plain name", "%41"]
    for name in names {
      let encoded = MLflowNames.encoded(name)
      let allowed = encoded.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-./: ".unicodeScalars.contains($0)) }
      let components = encoded.split(separator: "/", omittingEmptySubsequences: false)
      let normalises = encoded.hasPrefix("/") || encoded.hasPrefix("..") || components.contains { $0 == "." || $0 == ".." || ($0.isEmpty && components.count > 1) }
      #expect(allowed && (name.isEmpty || !normalises), "\(name) → \(encoded)")
      #expect(MLflowNames.decoded(encoded) == name, "\(name) → \(encoded) → \(MLflowNames.decoded(encoded))")
    }
  }

  @Test func theFileStoreExportIsReadByMLflowsClient() throws {
    let (root, runID, kiln) = try Self.projectWithRun()
    defer { try? FileManager.default.removeItem(at: root) }
    let exported = try runKiln(["runs", "export", runID, "--format", "mlflow", "mlruns"], in: root, environment: ["KILN_STORE": ""])
    #expect(exported.status == 0, "\(exported.stderr)")
    let runs = try Self.readBack(root.appendingPathComponent("mlruns").absoluteURL.absoluteString, environment: ["MLFLOW_ALLOW_FILE_STORE": "true"])
    try #require(runs.count == 1)
    try Self.expectSameRun(runs[0], as: kiln, runID: runID)
  }

  @Test func runsExportedToAnMLflowServerAreReadBackByItsClient() throws {
    let server = try MLflowTestServer()
    defer { server.stop() }
    let (root, runID, kiln) = try Self.projectWithRun()
    defer { try? FileManager.default.removeItem(at: root) }
    let exported = try runKiln(["runs", "export", runID, "--format", "mlflow", "--to", server.url.absoluteString, "--json"],
                               in: root, environment: ["KILN_STORE": ""])
    #expect(exported.status == 0, "\(exported.stderr)")
    let facts = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
    #expect((facts["runs"] as? [String: String])?[runID] != nil)
    let runs = try Self.readBack(server.url.absoluteString)
    try #require(runs.count == 1, "\(runs)")
    try Self.expectSameRun(runs[0], as: kiln, runID: runID)
    let artifacts = Set((kiln["artifacts"] as? [[String: Any]] ?? []).compactMap { ($0["name"] as? String)?.split(separator: "/").first.map(String.init) })
    #expect(Set(runs[0]["artifacts"] as? [String] ?? []) == artifacts && !artifacts.isEmpty)

    let refused = try runKiln(["runs", "export", runID, "--format", "mlflow", "--to", "http://127.0.0.1:1"], in: root, environment: ["KILN_STORE": ""])
    #expect(refused.status == 1 && refused.stderr.contains("cannot reach the MLflow server"), "\(refused.stderr)")
  }
}

/// A real `mlflow server` (from .venv/mlflow) on a free port of 127.0.0.1, its SQLite database and
/// artifacts in a temporary folder; started and awaited (its /health answering) by `init`.
final class MLflowTestServer {
  let url: URL
  let folder: URL
  private let process = Process()

  init() throws {
    let executable = MLflowExportCLITests.repository.appendingPathComponent(".venv/mlflow/bin/mlflow")
    try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                 "MLflow is not installed in \(executable.deletingLastPathComponent().path): run scripts/install-deps")
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-mlflow-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let port = try Self.freePort()
    url = URL(string: "http://127.0.0.1:\(port)")!
    // Its background job runner is off: nothing here schedules jobs.
    process.executableURL = executable
    process.arguments = ["server", "--host", "127.0.0.1", "--port", "\(port)", "--workers", "1",
                         "--backend-store-uri", "sqlite:///" + folder.appendingPathComponent("mlflow.db").path,
                         "--artifacts-destination", folder.appendingPathComponent("artifacts").path]
    process.environment = ProcessInfo.processInfo.environment.merging(["MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"]) { $1 }
    let log = folder.appendingPathComponent("server.log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: log)
    process.standardError = process.standardOutput
    try process.run()
    // Ready when its health check answers (it migrates its database first), or failed when it exits.
    let waiter = Process()
    waiter.executableURL = MLflowExportCLITests.python
    waiter.arguments = [MLflowExportCLITests.repository.appendingPathComponent("Tests/Support/mlflow/wait_for_server.py").path,
                        url.absoluteString, "\(process.processIdentifier)", "180"]
    try waiter.run()
    waiter.waitUntilExit()
    guard waiter.terminationStatus == 0 else {
      stop()
      Issue.record("mlflow server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
      throw CancellationError()
    }
  }

  /// Stops the server and the web server process it started (its children, found in /proc).
  func stop() {
    let children = Self.children(of: process.processIdentifier)
    for signal in [SIGTERM, SIGKILL] where process.isRunning {
      for child in children { kill(child, signal) }
      kill(process.processIdentifier, signal)
      // A server that has not ended after its grace period is killed.
      for _ in 0..<50 where process.isRunning { usleep(100_000) }
    }
    if !process.isRunning { process.waitUntilExit() }
    try? FileManager.default.removeItem(at: folder)
  }

  static func children(of parent: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
      // /proc/PID/stat: "PID (COMMAND) STATE PPID …"; the command may hold spaces, so read after its ")".
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")") else { return false }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      return fields.count > 1 && Int32(fields[1]) == parent
    }
  }

  /// A port no process listens on now, chosen by the kernel.
  static func freePort() throws -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    try #require(bound, "cannot bind a socket to 127.0.0.1")
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
