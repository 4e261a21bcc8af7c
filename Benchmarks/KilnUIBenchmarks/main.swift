// The browser UI's page server times on a synthesized store: one JSON object per line,
// {"name", "kiln", "reference", "ratio", "units", "p50", "cpu_p50", "cpu_p95"}, `kiln` being the p95 in
// milliseconds and `reference` the 100 ms goal. Pages are answered in process
// (UIApplication.respond), so the figure is the server's own time without the network; the CPU
// time of the answering thread is given beside it, as the wall time of a loaded machine is
// mostly waiting for a core.
//
// The store (made once, then reused): 10,000 runs with 20 parameters and 30 final metrics each,
// 100 of them with a 100,000-point training curve, a model with a stage history.
//
// Usage: KilnUIBenchmarks [--store DIR] [--runs N] [--long-runs N] [--points N] [--repeats N] [--only PAGE] [--synthesize-only]
import Foundation
import KilnTracking
import KilnUI

var arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
  guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
  return arguments[index + 1]
}
let storeDirectory = URL(fileURLWithPath: option("--store", FileManager.default.temporaryDirectory.appendingPathComponent("kiln-ui-bench").path))
let runCount = Int(option("--runs", "10000")) ?? 10_000
let longRunCount = Int(option("--long-runs", "100")) ?? 100
let pointCount = Int(option("--points", "100000")) ?? 100_000
let repeats = Int(option("--repeats", "20")) ?? 20
let only = option("--only", "")

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The CPU time of the calling thread, in seconds.
func threadCPUTime() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Writes the store through the store protocols, with fixed values (the same store every time).
/// A store made before a schema migration is migrated (the UI refuses a store that is behind).
func synthesize() throws {
  let databaseFile = storeDirectory.appendingPathComponent("kiln.sqlite")
  if FileManager.default.fileExists(atPath: databaseFile.path) {
    _ = try SQLiteTrackingStore(databaseFile: databaseFile)
    return
  }
  let store = try SQLiteTrackingStore(databaseFile: databaseFile)
  let start = Date(timeIntervalSince1970: 1_780_000_000)
  let experiments = try (0..<5).map { try store.experimentID(named: "experiment-\($0)", at: start) }
  let elapsed = try seconds {
    for index in 0..<runCount {
      let id = String(format: "%08x", index) + String(repeating: "0", count: 24)
      let time = start.addingTimeInterval(Double(index) * 60)
      let parameters = Dictionary(uniqueKeysWithValues: (0..<20).map { ("params_\(String(format: "%02d", $0))", String((index &* 31 &+ $0 &* 17) % 8)) })
      let record = RunRecord(id: id, experimentID: experiments[index % 5], experiment: "experiment-\(index % 5)", name: "run-\(index)",
                             status: .finished, startTime: time, endTime: time.addingTimeInterval(300), seed: UInt64(index), commandLine: ["kiln", "train"],
                             host: "bench", processID: 1, heartbeatTime: time, sourceVersion: SourceVersion(commit: "0123456789abcdef0123", isDirty: false),
                             parentID: nil, configurationText: "{}", configurationHash: String(repeating: "a", count: 64), deletedTime: nil)
      try store.insertRun(record, parameters: parameters, tags: ["team": "team-\(index % 7)"])
      var points = (0..<30).map { MetricPoint(key: "metric_\(String(format: "%02d", $0))", step: 0, value: spread(index, $0), timestamp: time) }
      if index % (runCount / max(longRunCount, 1)) == 0 {
        points += (1...pointCount).map { MetricPoint(key: "train.loss", step: Int64($0), value: 1 / Double($0) + 0.01 * spread($0, index), timestamp: time) }
      }
      try store.appendMetrics(points, runID: id, generation: nil)
      try store.insertDatasetInput(DatasetReference(name: "adult", version: "1", fingerprint: String(repeating: "f", count: 64), split: "train"), runID: id, generation: nil)
    }
    for version in 1...5 {
      let runID = String(format: "%08x", version * 100) + String(repeating: "0", count: 24)
      let draft = ModelVersionDraft(modelName: "income", runID: runID, checkpointArtifact: "model/checkpoint.h5", checkpointSHA256: nil,
                                    datasetFingerprint: String(repeating: "f", count: 64), gitCommit: nil, configurationHash: String(repeating: "a", count: 64))
      let time = start.addingTimeInterval(Double(version) * 86_400)
      _ = try store.registerModelVersion(draft, at: time)
      _ = try store.changeStage(model: "income", version: version, StageChangeRequest(target: .staging, approver: "bench"), at: time.addingTimeInterval(60))
      _ = try store.changeStage(model: "income", version: version, StageChangeRequest(target: .production, approver: "bench"), at: time.addingTimeInterval(120))
    }
  }
  FileHandle.standardError.write(Data("# synthesized \(runCount) runs (\(longRunCount) × \(pointCount) points) in \(String(format: "%.0f", elapsed)) s\n".utf8))
}

/// A spread of values in 0..<1 from two integers: fixed data, the same store every time.
func spread(_ index: Int, _ key: Int) -> Double { Double((index &* 7_919 &+ key &* 104_729) % 1_000) / 1_000 }

try synthesize()
if arguments.contains("--synthesize-only") { exit(0) }

let settings = try UIServerSettings(host: "127.0.0.1", port: 8080, token: nil, tokenFile: nil, store: storeDirectory.path, reports: nil)
let application = try settings.application(boundPort: 8080)
let longRun = String(format: "%08x", 0) + String(repeating: "0", count: 24)
let shortRun = String(format: "%08x", 1) + String(repeating: "0", count: 24)
let secondLong = String(format: "%08x", runCount / max(longRunCount, 1)) + String(repeating: "0", count: 24)
let pages: [(String, String)] = [
  ("runs", "/runs"),
  ("runs_sorted_by_metric", "/runs?sort=-metrics.metric_03"),
  ("runs_filtered", "/runs?where=metrics.metric_01%20%3E%200.5%20and%20params.params_02%20%3D%20'3'&sort=-metrics.metric_03"),
  ("runs_page_100", "/runs?page=100"),
  ("runs_json", "/runs.json"),
  ("run_100k_points", "/runs/\(longRun)"),
  ("run_final_metrics_only", "/runs/\(shortRun)"),
  ("run_new_steps", "/runs/\(longRun)/metric?key=train.loss&after_step=99000"),
  ("compare_two_100k_runs", "/compare?runs=\(longRun),\(secondLong)"),
  ("models", "/models"),
  ("model_stage_history", "/models/income?on=2026-06-05"),
  ("audit", "/audit"),
  ("sweeps", "/sweeps"),
]
var worst = 0.0
func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
  sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
}
for (name, target) in pages where only.isEmpty || only == name {
  let request = UIRequest(method: "GET", target: target, headers: ["Host": "127.0.0.1:8080"])
  var timings: [Double] = [], cpuTimings: [Double] = []
  var status = 0
  for _ in 0..<repeats {
    let cpuStart = threadCPUTime()
    timings.append(seconds { status = application.respond(to: request).status } * 1000)
    cpuTimings.append((threadCPUTime() - cpuStart) * 1000)
  }
  timings.sort()
  cpuTimings.sort()
  let p95 = percentile(timings, 0.95)
  let p50 = percentile(timings, 0.5)
  worst = max(worst, p95)
  let object: [String: JSONValue] = [
    "name": .string("ui.\(name)"), "kiln": .number((p95 * 10).rounded() / 10), "p50": .number((p50 * 10).rounded() / 10),
    "cpu_p50": .number((percentile(cpuTimings, 0.5) * 10).rounded() / 10), "cpu_p95": .number((percentile(cpuTimings, 0.95) * 10).rounded() / 10),
    "reference": .number(100), "ratio": .number((p95 / 100 * 100).rounded() / 100), "units": .string("ms p95 (goal 100)"),
    "status": .number(Double(status)),
  ]
  print(JSONValue.object(object).canonicalText)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(JSONValue.object(["name": .string("ui.peak_memory"), "kiln": .number(Double(usage.ru_maxrss) / 1024), "units": .string("MiB resident")]).canonicalText)
