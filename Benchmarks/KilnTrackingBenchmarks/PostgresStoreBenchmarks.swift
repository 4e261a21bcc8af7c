// The PostgreSQL store's figures, run by scripts/bench-postgres-store against a throwaway cluster
// that also holds MLflow's tracking server's database:
// - `--log URL --mlflow-points-per-second X`: points/s logging 100,000 metric points (10 keys ×
//   10,000 steps, flushed every 1,000 points, MLflow's log-batch limit) into the store at URL,
//   against MLflow's figure through its REST log-batch on the same server. Goal: ratio ≥ 10.
// - `--synthesize N --store URL`: adds N finished runs (20 metrics, a batch-size parameter) to URL.
// - `--query URL`: milliseconds (median of five) for the query behind `runs list --where … --sort
//   -metrics.metric_3 --limit 100` alone, over the runs there; the reference is the 200 ms goal.
import Foundation
import KilnPostgres
import KilnTracking

func postgresTracker(_ url: String) throws -> Tracker {
  try Tracker(location: .postgreSQL(try PostgresURL(url)), artifactsDirectory: try freshDirectory("pg-artifacts"))
}

func benchmarkPostgresLogging(url: String, mlflowPointsPerSecond: Double) throws {
  let tracker = try postgresTracker(url)
  let run = try tracker.startRun(experiment: "bench", options: RunLoggingOptions(flushThreshold: 1_000, heartbeatInterval: nil))
  let time = try seconds {
    for step in 0..<steps {
      for key in keys { try run.log(key, value: Double(step) * 0.001, step: step) }
    }
    try run.finish(.finished)
  }
  report("tracking.postgres.log_points_100k_vs_mlflow_server", kiln: points / time, reference: mlflowPointsPerSecond,
         units: "points/s (reference: MLflow server, REST log-batch, same PostgreSQL)")
}

/// Adds `count` finished runs, each with 20 metrics at step 1 and a batch-size parameter, through
/// the store's API (one insert, one metric append and one end per run).
func synthesizeRuns(url: String, count: Int) throws {
  let tracker = try postgresTracker(url)
  let metricKeys = (0..<20).map { "metric_\($0)" }
  let now = Date()
  let experimentID = try tracker.store.experimentID(named: "bench", at: now)
  let configuration = RunConfiguration.empty
  for index in 0..<count {
    let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let record = RunRecord(
      id: id, experimentID: experimentID, experiment: "bench", name: "run-\(id.prefix(8))", status: .running,
      startTime: now, endTime: nil, seed: nil, commandLine: [], host: "bench", processID: 0, heartbeatTime: now,
      sourceVersion: nil, parentID: nil, configurationText: configuration.text, configurationHash: configuration.hash, deletedTime: nil)
    try tracker.store.insertRun(record, parameters: ["training.batch_size": String(32 << (index % 4))], tags: [:])
    let points = metricKeys.enumerated().map { offset, key in
      MetricPoint(key: key, step: 1, value: Double((index * 31 + offset) % 997) / 997, timestamp: now)
    }
    try tracker.store.appendMetrics(points, runID: id, generation: nil)
    try tracker.store.endRun(runID: id, status: .finished, at: now, details: [:], generation: nil)
  }
}

func benchmarkPostgresQuery(url: String) throws {
  let tracker = try postgresTracker(url)
  let total = try tracker.runs(RunQuery(limit: nil)).count
  var found = 0
  let time = try medianSeconds {
    let query = RunQuery(filter: try RunFilter.parse("metrics.metric_3 > 0.5 and params.training.batch_size = 64"),
                         sort: [try RunFilter.parseSort("-metrics.metric_3")], limit: 100)
    found = try tracker.runs(query).count
  }
  precondition(found == 100, "runs query: expected 100 runs, found \(found)")
  report("tracking.postgres.runs_query_\(total)_runs_where_sort_first100", kiln: time * 1000, reference: 200, units: "ms (reference: goal)")
}
