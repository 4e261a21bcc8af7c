// Tracking benchmarks: one JSON object per line, {"name", "kiln", "reference", "ratio", "units"}.
//
// - tracking.log_points: points/s logging 100,000 metric points (10 keys × 10,000 steps) through
//   the API, against a raw prepared-statement insert loop in one transaction (the limit). Goal: ratio ≥ 0.5.
// List and show timings are medians of five.
// - tracking.runs_list: milliseconds for `kiln runs list` (query and table) over 10,000 runs × 20
//   metrics; the reference is the 150 ms goal.
// - tracking.runs_show: milliseconds for `kiln runs show` on a run with 1,000,000 points; the
//   reference is the 1 s goal.
// With --log, --synthesize or --query, the PostgreSQL store's figures instead (PostgresStoreBenchmarks.swift).
import Foundation
import KilnSQLite
import KilnTracking
import KilnRuns

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The median of `repeats` timings of `body`, in seconds: the machine may be shared.
func medianSeconds(repeats: Int = 5, _ body: () throws -> Void) rethrows -> Double {
  var timings: [Double] = []
  for _ in 0..<repeats { timings.append(try seconds(body)) }
  return timings.sorted()[repeats / 2]
}

func report(_ name: String, kiln: Double, reference: Double, units: String, ratio: Double? = nil) {
  let object: [String: JSONValue] = [
    "name": .string(name), "kiln": .number(kiln), "reference": .number(reference),
    "ratio": .number(ratio ?? kiln / reference), "units": .string(units),
  ]
  print(JSONValue.object(object).canonicalText)
}

func freshDirectory(_ label: String) throws -> URL {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-tracking-bench-\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  return directory
}

let keys = (0..<10).map { "metric_\($0)" }
let steps = 10_000
let points = Double(keys.count * steps)

func benchmarkLogging() throws {
  let tracker = try Tracker(storeDirectory: try freshDirectory("log"))
  let run = try tracker.startRun(experiment: "bench", options: RunLoggingOptions(heartbeatInterval: nil))
  let apiTime = try seconds {
    for step in 0..<steps {
      for key in keys { try run.log(key, value: Double(step) * 0.001, step: step) }
    }
    try run.finish(.finished)
  }

  let raw = try freshDirectory("raw")
  let store = try SQLiteTrackingStore(databaseFile: raw.appendingPathComponent("kiln.sqlite"))
  _ = store
  let database = try SQLiteDatabase(file: raw.appendingPathComponent("kiln.sqlite"), access: .readWrite, busyTimeout: 60)
  let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
  let rawTime = try seconds {
    try database.write { db in
      let statement = try db.makeStatement(sql: "INSERT INTO metric(run_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?)")
      for step in 0..<steps {
        for key in keys {
          try statement.execute(arguments: ["raw", key, step, Double(step) * 0.001, timestamp])
        }
      }
    }
  }
  report("tracking.log_points_100k", kiln: points / apiTime, reference: points / rawTime, units: "points/s")
}

func benchmarkList() throws {
  let directory = try freshDirectory("list")
  let tracker = try Tracker(storeDirectory: directory)
  let metricKeys = (0..<20).map { "metric_\($0)" }
  for index in 0..<10_000 {
    let configuration = RunConfiguration(json: .object(["training": .object(["batch_size": .number(Double(32 << (index % 4)))])]))
    let run = try tracker.startRun(experiment: "bench", name: "run-\(index)", configuration: configuration,
                                   options: RunLoggingOptions(heartbeatInterval: nil))
    try run.log(metrics: Dictionary(uniqueKeysWithValues: metricKeys.map { ($0, Double(index % 97) / 97) }), step: 1)
    try run.finish(.finished)
  }
  let reopened = try Tracker(storeDirectory: directory)
  var output = ""
  let listTime = try medianSeconds {
    try reopened.markKilledRuns()
    output = try RunListing(tracker: reopened, query: RunQuery()).text()
  }
  precondition(output.split(separator: "\n").count == 10_001, "runs list: expected 10,000 rows")
  var filtered = ""
  let filterTime = try medianSeconds {
    let query = RunQuery(filter: try RunFilter.parse("metrics.metric_3 > 0.5 and params.training.batch_size = 64"),
                         sort: [try RunFilter.parseSort("-metrics.metric_3")], limit: 20)
    filtered = try RunListing(tracker: reopened, query: query).text()
  }
  precondition(!filtered.isEmpty)
  report("tracking.runs_list_10k_runs_where_sort", kiln: filterTime * 1000, reference: 150, units: "ms (reference: goal)")
}

func benchmarkShow() throws {
  let directory = try freshDirectory("show")
  let tracker = try Tracker(storeDirectory: directory)
  let run = try tracker.startRun(experiment: "bench", options: RunLoggingOptions(flushThreshold: 20_000, heartbeatInterval: nil))
  for step in 0..<100_000 {
    for key in keys { try run.log(key, value: sin(Double(step) * 0.0001), step: step) }
  }
  try run.finish(.finished)
  let reopened = try Tracker(storeDirectory: directory)
  var text = ""
  let showTime = try medianSeconds {
    text = try RunReport(tracker: reopened, runID: run.id).text()
  }
  precondition(text.contains("metric_9"), "runs show: expected every metric")
  report("tracking.runs_show_1m_points", kiln: showTime * 1000, reference: 1000, units: "ms (reference: goal)")
}

/// The value after `flag` on the command line, if given.
func argument(_ flag: String) -> String? {
  let arguments = CommandLine.arguments
  guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
  return arguments[index + 1]
}

do {
  if let url = argument("--log") {
    try benchmarkPostgresLogging(url: url, mlflowPointsPerSecond: Double(argument("--mlflow-points-per-second") ?? "") ?? .nan)
  } else if let count = argument("--synthesize"), let url = argument("--store") {
    try synthesizeRuns(url: url, count: Int(count) ?? 0)
  } else if let url = argument("--query") {
    try benchmarkPostgresQuery(url: url)
  } else {
    try benchmarkLogging()
    try benchmarkList()
    try benchmarkShow()
  }
} catch {
  FileHandle.standardError.write(Data("KilnTrackingBenchmarks failed: \(error)\n".utf8))
  exit(1)
}
