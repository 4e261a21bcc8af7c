// The PostgreSQL store's figures, run by scripts/bench-postgres-store against a throwaway cluster
// that also holds MLflow's tracking server's database:
// - `--log URL --mlflow-points-per-second X`: points/s logging 100,000 metric points (10 keys ×
//   10,000 steps, flushed every 1,000 points, MLflow's log-batch limit) into the store at URL,
//   against MLflow's figure through its REST log-batch on the same server. Goal: ratio ≥ 10.
// - `--synthesize N --store URL`: adds N finished runs (20 parameters, 30 metrics) to URL, 1,000 a
//   transaction (`synthesizeRuns`).
// - `--query URL`: milliseconds (median of five) for the query behind `runs list --where … --sort
//   -metrics.metric_3 --limit 100` alone, over the runs there; the reference is the 200 ms goal.
import Foundation
import KilnSQL
import KilnPostgres
import KilnTracking

/// A tracker over the store `text` names: a `postgresql://` URL, or a folder for an SQLite store.
func storeTracker(_ text: String) throws -> Tracker {
  let location = try StoreLocation.parse(text, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
  return try Tracker(location: location, artifactsDirectory: try freshDirectory("pg-artifacts"))
}

/// `postgres` or `sqlite`, for the figures' names.
func storeKind(_ text: String) -> String { PostgresURL.isPostgresURL(text) ? "postgres" : "sqlite" }

func benchmarkPostgresLogging(url: String, mlflowPointsPerSecond: Double) throws {
  let tracker = try storeTracker(url)
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

/// Adds `count` finished runs to the store at `url`, each with a 20-parameter configuration, 30
/// metrics at step 1, and the `run.started` and `run.finished` audit events the store's own API
/// writes, chained to the log's head. The rows are the ones `insertRun`, `appendMetrics` and
/// `endRun` write, loaded through the store's bulk path (`writeContents`, which `kiln store
/// migrate` uses): 1,000 runs a transaction, in multi-row inserts, instead of three transactions
/// a run. The audit log is verified at the end, so the store is one Kiln could have written.
func synthesizeRuns(url: String, count: Int) throws {
  let store = try storeTracker(url).store
  let experimentID = try store.experimentID(named: "bench", at: Date())
  let metricKeys = (0..<30).map { "metric_\($0)" }
  var head = try store.auditHead()
  // Each synthesized run adds two events; numbering on from them keeps names and times distinct.
  let first = Int(head.sequence / 2)
  let baseMilliseconds: Int64 = 1_795_000_000_000
  for batchStart in stride(from: 0, to: count, by: 1_000) {
    var tables: [String: [[SQLValue]]] = [:]
    for index in (first + batchStart)..<(first + min(batchStart + 1_000, count)) {
      let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
      let name = "run-\(index)"
      let started = baseMilliseconds + Int64(index) * 1_000
      let ended = started + 500
      var model: [String: JSONValue] = [:]
      for layer in 0..<17 { model["width_\(layer)"] = .number(Double(16 << ((index + layer) % 5))) }
      let configuration = RunConfiguration(json: .object([
        "training": .object(["batch_size": .number(Double(32 << (index % 4))), "learning_rate": .number(Double(1 + index % 10) / 1_000),
                             "optimizer": .string(index % 3 == 0 ? "sgd" : "adam")]),
        "model": .object(model),
      ]))
      tables["run", default: []].append([
        .text(id), .integer(experimentID), .text(name), .text(RunStatus.finished.rawValue), .integer(started), .integer(ended), .null,
        .text(JSONValue.array([]).canonicalText), .text("bench"), .integer(0), .integer(started), .null, .null, .null, .null,
        .text(configuration.text), .text(configuration.hash), .null, .integer(0),
      ])
      for (key, value) in configuration.parameters.sorted(by: { $0.key < $1.key }) {
        tables["param", default: []].append([.text(id), .text(key), .text(value)])
      }
      for (offset, key) in metricKeys.enumerated() {
        let value = Double((index * 31 + offset) % 997) / 997
        tables["metric", default: []].append([.text(id), .text(key), .integer(1), .integer(ended), .real(value)])
        tables["latest_metric", default: []].append([.text(id), .text(key), .integer(1), .real(value), .integer(ended), .integer(1)])
      }
      let startedPayload: JSONValue = .object(["experiment": .string("bench"), "name": .string(name),
                                               "configuration_hash": .string(configuration.hash), "host": .string("bench")])
      for (kind, time, payload) in [(AuditEventKind.runStarted, started, startedPayload),
                                    (AuditEventKind.runFinished, ended, JSONValue.object(["status": .string("finished")]))] {
        var event = AuditEvent(sequence: head.sequence + 1, kind: kind, runID: id, timestamp: Date(timeIntervalSince1970: Double(time) / 1_000),
                               payload: payload.canonicalText, previousHash: head.hash, hash: "")
        event.hash = event.expectedHash
        tables["audit_event", default: []].append([.integer(event.sequence), .text(kind.rawValue), .text(id), .integer(time),
                                                   .text(event.payload), .text(event.previousHash), .text(event.hash)])
        head = AuditHead(sequence: event.sequence, hash: event.hash)
      }
    }
    try store.writeContents { insert in
      for table in StoreTable.all { if let rows = tables[table.name] { try insert(table, rows) } }
    }
  }
  let verification = try AuditVerification.verify(store: store)
  guard verification.isIntact else {
    throw TrackingError(.auditLogBroken, "synthesized store's audit log does not verify: \(verification.reason ?? "")", hint: "a bug in synthesizeRuns")
  }
}

func benchmarkPostgresQuery(url: String) throws {
  let tracker = try storeTracker(url)
  let total = try tracker.runs(RunQuery(limit: nil)).count
  var found = 0
  let time = try medianSeconds {
    let query = RunQuery(filter: try RunFilter.parse("metrics.metric_3 > 0.5 and params.training.batch_size = 64"),
                         sort: [try RunFilter.parseSort("-metrics.metric_3")], limit: 100)
    found = try tracker.runs(query).count
  }
  precondition(found == 100, "runs query: expected 100 runs, found \(found)")
  report("tracking.\(storeKind(url)).runs_query_\(total)_runs_where_sort_first100", kiln: time * 1000, reference: 200, units: "ms (reference: goal)")
}
