import Foundation
import GRDB

extension SQLiteTrackingStore {
  static let runColumns = """
    r.id, r.experiment_id, e.name AS experiment, r.name, r.status, r.start_time, r.end_time, r.seed,
    r.command_line, r.host, r.pid, r.heartbeat_at, r.git_commit, r.git_dirty, r.parent_id,
    r.configuration, r.configuration_hash, r.deleted_at
    """

  static func runRecord(_ row: Row) -> RunRecord {
    let commandLineText: String = row["command_line"]
    var commandLine: [String] = []
    if commandLineText != "[]",
       let items = try? JSONSerialization.jsonObject(with: Data(commandLineText.utf8)) as? [String] {
      commandLine = items
    }
    let commit: String? = row["git_commit"]
    let seed: Int64? = row["seed"]
    let endTime: Int64? = row["end_time"]
    let deletedTime: Int64? = row["deleted_at"]
    return RunRecord(
      id: row["id"], experimentID: row["experiment_id"], experiment: row["experiment"], name: row["name"],
      status: RunStatus(rawValue: row["status"]) ?? .failed, startTime: Milliseconds.date(row["start_time"]),
      endTime: endTime.map(Milliseconds.date), seed: seed.map { UInt64(bitPattern: $0) },
      commandLine: commandLine, host: row["host"], processID: Int32(truncatingIfNeeded: row["pid"] as Int64),
      heartbeatTime: Milliseconds.date(row["heartbeat_at"]),
      sourceVersion: commit.map { SourceVersion(commit: $0, isDirty: row["git_dirty"] ?? false) },
      parentID: row["parent_id"], configurationText: row["configuration"],
      configurationHash: row["configuration_hash"], deletedTime: deletedTime.map(Milliseconds.date))
  }

  public func experiments() throws -> [ExperimentRecord] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT id, name, created_at FROM experiment ORDER BY id").map {
        ExperimentRecord(id: $0["id"], name: $0["name"], createdTime: Milliseconds.date($0["created_at"]))
      }
    }
  }

  public func run(id: String) throws -> RunRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT \(SQLiteTrackingStore.runColumns) FROM run r JOIN experiment e ON e.id = r.experiment_id WHERE r.id = ?",
                       arguments: [id]).map(SQLiteTrackingStore.runRecord)
    }
  }

  public func runIDs(withPrefix prefix: String) throws -> [String] {
    let pattern = prefix.replacingOccurrences(of: "[", with: "") + "*"
    return try read { db in
      try String.fetchAll(db, sql: "SELECT id FROM run WHERE id GLOB ? LIMIT 10", arguments: [pattern])
    }
  }

  public func runs(matching query: RunQuery) throws -> [RunRecord] {
    let (sql, arguments) = RunQuerySQL.select(query, columns: SQLiteTrackingStore.runColumns)
    return try read { db in
      try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteTrackingStore.runRecord)
    }
  }

  public func parameters(runID: String) throws -> [String: String] {
    try keyValues(table: "param", runID: runID)
  }

  public func tags(runID: String) throws -> [String: String] {
    try keyValues(table: "tag", runID: runID)
  }

  private func keyValues(table: String, runID: String) throws -> [String: String] {
    try read { db in
      var result: [String: String] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT key, value FROM \(table) WHERE run_id = ?", arguments: [runID]) {
        result[row["key"]] = row["value"]
      }
      return result
    }
  }

  public func latestMetrics(runID: String) throws -> [String: MetricPoint] {
    try read { db in
      var result: [String: MetricPoint] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT key, step, value, timestamp FROM latest_metric WHERE run_id = ?", arguments: [runID]) {
        let point = SQLiteTrackingStore.metricPoint(row)
        result[point.key] = point
      }
      return result
    }
  }

  public func latestMetrics(runIDs: [String], keys: [String]?) throws -> [String: [String: Double]] {
    try read { db in
      var result: [String: [String: Double]] = [:]
      var start = 0
      while start < runIDs.count {
        let chunk = Array(runIDs[start..<min(start + 500, runIDs.count)])
        start += chunk.count
        var sql = "SELECT run_id, key, value FROM latest_metric WHERE run_id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))"
        var arguments = StatementArguments(chunk)
        if let keys {
          if keys.isEmpty { break }
          sql += " AND key IN (\(Array(repeating: "?", count: keys.count).joined(separator: ",")))"
          arguments += StatementArguments(keys)
        }
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
          result[row["run_id"], default: [:]][row["key"]] = row["value"]
        }
      }
      return result
    }
  }

  static func metricPoint(_ row: Row) -> MetricPoint {
    MetricPoint(key: row["key"], step: row["step"], value: row["value"], timestamp: Milliseconds.date(row["timestamp"]))
  }

  public func metricHistory(runID: String, key: String) throws -> [MetricPoint] {
    try read { db in
      var points: [MetricPoint] = []
      let rows = try Row.fetchCursor(db, sql: "SELECT step, value, timestamp FROM metric WHERE run_id = ? AND key = ? ORDER BY step, timestamp",
                                     arguments: [runID, key])
      while let row = try rows.next() {
        points.append(MetricPoint(key: key, step: row[0], value: row[1], timestamp: Milliseconds.date(row[2])))
      }
      return points
    }
  }

  public func metricSummary(runID: String, key: String, buckets: Int) throws -> MetricSummary {
    precondition(buckets > 0, "metricSummary: buckets must be positive, got \(buckets)")
    return try read { db in
      let range = try Row.fetchOne(db, sql: """
        SELECT COUNT(*) AS count, MIN(step) AS first, MAX(step) AS last, MIN(value) AS minimum, MAX(value) AS maximum
        FROM metric WHERE run_id = ? AND key = ?
        """, arguments: [runID, key])
      let count: Int = range?["count"] ?? 0
      guard count > 0, let range, let first: Int64 = range["first"], let last: Int64 = range["last"] else {
        return MetricSummary(key: key, count: 0, last: nil, minimum: nil, maximum: nil, profile: [])
      }
      let lastPoint = try Row.fetchOne(db, sql: """
        SELECT key, step, value, timestamp FROM metric WHERE run_id = ? AND key = ? ORDER BY step DESC, timestamp DESC LIMIT 1
        """, arguments: [runID, key]).map(SQLiteTrackingStore.metricPoint)
      let width = Double(last - first + 1) / Double(buckets)
      let profile = try Row.fetchAll(db, sql: """
        SELECT CAST((step - ?) / ? AS INTEGER) AS bucket, AVG(value) AS mean FROM metric
        WHERE run_id = ? AND key = ? GROUP BY bucket ORDER BY bucket
        """, arguments: [first, width, runID, key]).map { $0["mean"] as Double }
      return MetricSummary(key: key, count: count, last: lastPoint, minimum: range["minimum"], maximum: range["maximum"],
                           profile: profile)
    }
  }

  public func metricSummaries(runID: String, buckets: Int) throws -> [MetricSummary] {
    precondition(buckets > 0, "metricSummaries: buckets must be positive, got \(buckets)")
    return try read { db in
      // One pass for the extremes of every series, one for every series' profile.
      let ranges = try Row.fetchAll(db, sql: """
        SELECT key, COUNT(*) AS count, MIN(step) AS first, MAX(step) AS last, MIN(value) AS minimum, MAX(value) AS maximum
        FROM metric WHERE run_id = ? GROUP BY key ORDER BY key
        """, arguments: [runID])
      let latest = try Row.fetchAll(db, sql: "SELECT key, step, value, timestamp FROM latest_metric WHERE run_id = ?",
                                    arguments: [runID]).map(SQLiteTrackingStore.metricPoint)
      let lastByKey = Dictionary(latest.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
      var profiles: [String: [Double]] = [:]
      let rows = try Row.fetchCursor(db, sql: """
        WITH series(key, first, width) AS (
          SELECT key, MIN(step), (MAX(step) - MIN(step) + 1) / CAST(? AS REAL) FROM metric WHERE run_id = ? GROUP BY key)
        SELECT m.key AS key, CAST((m.step - s.first) / s.width AS INTEGER) AS bucket, AVG(m.value) AS mean
        FROM metric m JOIN series s ON s.key = m.key WHERE m.run_id = ? GROUP BY m.key, bucket ORDER BY m.key, bucket
        """, arguments: [buckets, runID, runID])
      while let row = try rows.next() { profiles[row["key"], default: []].append(row["mean"]) }
      return ranges.map { range in
        let key: String = range["key"]
        return MetricSummary(key: key, count: range["count"], last: lastByKey[key], minimum: range["minimum"],
                             maximum: range["maximum"], profile: profiles[key] ?? [])
      }
    }
  }

  public func metricPointCount(runID: String) throws -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metric WHERE run_id = ?", arguments: [runID]) ?? 0 }
  }

  public func artifacts(runID: String) throws -> [ArtifactRecord] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT name, sha256, size, storage_path, logged_at FROM artifact WHERE run_id = ? ORDER BY name",
                       arguments: [runID]).map {
        ArtifactRecord(name: $0["name"], sha256: $0["sha256"], size: $0["size"], storagePath: $0["storage_path"],
                       loggedTime: Milliseconds.date($0["logged_at"]))
      }
    }
  }

  public func datasetInputs(runID: String) throws -> [DatasetReference] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT name, version, fingerprint, split FROM dataset_input WHERE run_id = ? ORDER BY name, split",
                       arguments: [runID]).map {
        DatasetReference(name: $0["name"], version: $0["version"], fingerprint: $0["fingerprint"], split: $0["split"])
      }
    }
  }

  public func auditEvents() throws -> [AuditEvent] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM audit_event ORDER BY sequence").map {
        AuditEvent(sequence: $0["sequence"], kind: AuditEventKind($0["kind"] as String), runID: $0["run_id"],
                   timestamp: Milliseconds.date($0["timestamp"]), payload: $0["payload"],
                   previousHash: $0["previous_hash"], hash: $0["hash"])
      }
    }
  }

  public func integrityCheck() throws -> String {
    try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
  }
}
