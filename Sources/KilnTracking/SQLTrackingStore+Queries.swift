import Foundation
import KilnSQL

extension SQLTrackingStore {
  static var runColumns: String { """
    r.id, r.experiment_id, e.name AS experiment, r.name, r.status, r.start_time, r.end_time, r.seed,
    r.command_line, r.host, r.pid, r.heartbeat_at, r.git_commit, r.git_dirty, r.parent_id,
    r.configuration, r.configuration_hash, r.deleted_at, r.heartbeat_interval
    """ }

  /// A run from a row of `runColumns`, read by position (name lookups dominate large listings).
  static func runRecord(_ row: SQLRow) throws -> RunRecord {
    let commandLineText: String = try row[8]
    var commandLine: [String] = []
    if commandLineText != "[]",
       let items = try? JSONSerialization.jsonObject(with: Data(commandLineText.utf8)) as? [String] {
      commandLine = items
    }
    let seed: Int64? = try row[7]
    let endTime: Int64? = try row[6]
    let commit: String? = try row[12]
    let isDirty: Bool? = try row[13]
    let deletedTime: Int64? = try row[17]
    let processID: Int64 = try row[10]
    return try RunRecord(
      id: row[0], experimentID: row[1], experiment: row[2], name: row[3],
      status: RunStatus(rawValue: row[4]) ?? .failed, startTime: Milliseconds.date(row[5]),
      endTime: endTime.map(Milliseconds.date), seed: seed.map { UInt64(bitPattern: $0) },
      commandLine: commandLine, host: row[9], processID: Int32(truncatingIfNeeded: processID),
      heartbeatTime: Milliseconds.date(row[11]), heartbeatInterval: row[18],
      sourceVersion: commit.map { SourceVersion(commit: $0, isDirty: isDirty ?? false) },
      parentID: row[14], configurationText: row[15], configurationHash: row[16],
      deletedTime: deletedTime.map(Milliseconds.date))
  }

  public func experiments() throws -> [ExperimentRecord] {
    try read { db in
      try db.fetchAll(sql: "SELECT id, name, created_at FROM experiment ORDER BY id").map {
        try ExperimentRecord(id: $0["id"], name: $0["name"], createdTime: Milliseconds.date($0["created_at"]))
      }
    }
  }

  public func run(id: String) throws -> RunRecord? {
    try read { db in
      try db.fetchOne(sql: "SELECT \(Self.runColumns) FROM run r JOIN experiment e ON e.id = r.experiment_id WHERE r.id = ?",
                      arguments: [id]).map(Self.runRecord)
    }
  }

  public func runIDs(withPrefix prefix: String) throws -> [String] {
    try read { db in
      try db.fetchValues(String.self, sql: "SELECT id FROM run WHERE \(db.dialect.startsWith("id")) ORDER BY id LIMIT 10", arguments: [prefix])
    }
  }

  public func runs(matching query: RunQuery) throws -> [RunRecord] {
    try read { db in
      let (sql, arguments) = RunQuerySQL.select(query, columns: Self.runColumns, dialect: db.dialect)
      var records: [RunRecord] = []
      try db.forEachRow(sql: sql, arguments: arguments) { records.append(try Self.runRecord($0)) }
      return records
    }
  }

  public func forEachRunPage(matching query: RunQuery, pageSize: Int, metricKeys: [String]?, _ body: (RunPage) throws -> Void) throws {
    let pageSize = max(1, pageSize)
    try read { db in
      let (sql, arguments) = RunQuerySQL.select(query, columns: Self.runColumns, dialect: db.dialect)
      var runs: [RunRecord] = []
      func deliver() throws {
        guard !runs.isEmpty else { return }
        try body(RunPage(runs: runs, metrics: try Self.latestMetrics(db, runIDs: runs.map(\.id), keys: metricKeys)))
        runs.removeAll(keepingCapacity: true)
      }
      try db.forEachRow(sql: sql, arguments: arguments, batchSize: pageSize) { row in
        runs.append(try Self.runRecord(row))
        if runs.count == pageSize { try deliver() }
      }
      try deliver()
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
      for row in try db.fetchAll(sql: "SELECT key, value FROM \(table) WHERE run_id = ?", arguments: [runID]) {
        result[try row["key"]] = try row["value"]
      }
      return result
    }
  }

  public func latestMetrics(runID: String) throws -> [String: MetricPoint] {
    try read { db in
      var result: [String: MetricPoint] = [:]
      for row in try db.fetchAll(sql: "SELECT key, step, value, timestamp FROM latest_metric WHERE run_id = ?", arguments: [runID]) {
        let point = try Self.metricPoint(row)
        result[point.key] = point
      }
      return result
    }
  }

  public func latestMetrics(runIDs: [String], keys: [String]?) throws -> [String: [String: Double]] {
    try read { db in try Self.latestMetrics(db, runIDs: runIDs, keys: keys) }
  }

  /// `latestMetrics(runIDs:keys:)` inside a read.
  static func latestMetrics(_ db: Connection, runIDs: [String], keys: [String]?) throws -> [String: [String: Double]] {
    if let keys, keys.isEmpty { return [:] }
    let keyFilter = keys.map { " key IN (\(Array(repeating: "?", count: $0.count).joined(separator: ",")))" }
    var result: [String: [String: Double]] = [:]
    func collect(_ sql: String, _ arguments: [String], only wanted: Set<String>?) throws {
      try db.forEachRow(sql: sql, arguments: arguments.map { $0 }) { row in
        let runID: String = try row[0]
        if let wanted, !wanted.contains(runID) { return }
        result[runID, default: [:]][try row[1]] = try row[2] as Double
      }
    }
    if runIDs.count > 1_000 {
      // For large listings one pass over the table beats thousands of key lookups.
      let sql = "SELECT run_id, key, value FROM latest_metric" + (keyFilter.map { " WHERE" + $0 } ?? "")
      try collect(sql, keys ?? [], only: Set(runIDs))
      return result
    }
    var start = 0
    while start < runIDs.count {
      let chunk = Array(runIDs[start..<min(start + 500, runIDs.count)])
      start += chunk.count
      let sql = "SELECT run_id, key, value FROM latest_metric WHERE run_id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))"
        + (keyFilter.map { " AND" + $0 } ?? "")
      try collect(sql, chunk + (keys ?? []), only: nil)
    }
    return result
  }

  static func metricPoint(_ row: SQLRow) throws -> MetricPoint {
    try MetricPoint(key: row["key"], step: row["step"], value: row["value"], timestamp: Milliseconds.date(row["timestamp"]))
  }

  public func metricHistory(runID: String, key: String) throws -> [MetricPoint] {
    try read { db in
      var points: [MetricPoint] = []
      try db.forEachRow(sql: "SELECT step, value, timestamp FROM metric WHERE run_id = ? AND key = ? ORDER BY step, timestamp",
                        arguments: [runID, key]) { row in
        points.append(try MetricPoint(key: key, step: row[0], value: row[1], timestamp: Milliseconds.date(row[2])))
      }
      return points
    }
  }

  public func metricSummary(runID: String, key: String, buckets: Int) throws -> MetricSummary {
    precondition(buckets > 0, "metricSummary: buckets must be positive, got \(buckets)")
    return try read { db in
      let last = try db.fetchOne(sql: "SELECT key, step, value, timestamp FROM latest_metric WHERE run_id = ? AND key = ?",
                                 arguments: [runID, key]).map(Self.metricPoint)
      return try Self.summary(db, runID: runID, key: key, last: last, buckets: buckets)
    }
  }

  public func metricSummaries(runID: String, buckets: Int) throws -> [MetricSummary] {
    precondition(buckets > 0, "metricSummaries: buckets must be positive, got \(buckets)")
    return try read { db in
      let latest = try db.fetchAll(sql: "SELECT key, step, value, timestamp FROM latest_metric WHERE run_id = ? ORDER BY key",
                                   arguments: [runID]).map(Self.metricPoint)
      return try latest.map { try Self.summary(db, runID: runID, key: $0.key, last: $0, buckets: buckets) }
    }
  }

  /// Summarises one series with one range query per bucket over the series' clustered rows, so
  /// the whole series is read once and nothing is sorted. Bucket `b` holds the steps `s` with
  /// ⌊(s − first) / width⌋ = b, where width = (last − first + 1) / buckets.
  static func summary(_ db: Connection, runID: String, key: String, last: MetricPoint?, buckets: Int) throws -> MetricSummary {
    guard let last,
          let first = try db.fetchValue(Int64.self, sql: "SELECT MIN(step) FROM metric WHERE run_id = ? AND key = ?", arguments: [runID, key]) else {
      return MetricSummary(key: key, count: 0, last: nil, minimum: nil, maximum: nil, profile: [])
    }
    let width = Double(last.step - first + 1) / Double(buckets)
    let bucketSQL = """
      SELECT COUNT(*), AVG(value), MIN(value), MAX(value) FROM metric WHERE run_id = ? AND key = ? AND step BETWEEN ? AND ?
      """
    var count = 0
    var minimum = Double.infinity, maximum = -Double.infinity
    var profile: [Double] = []
    for bucket in 0..<buckets {
      let low = first + Int64((Double(bucket) * width).rounded(.up))
      let high = first + Int64((Double(bucket + 1) * width).rounded(.up)) - 1
      guard low <= high, let row = try db.fetchOne(sql: bucketSQL, arguments: [runID, key, low, high]) else { continue }
      let bucketCount: Int = try row[0]
      guard bucketCount > 0 else { continue }
      count += bucketCount
      profile.append(try row[1])
      minimum = min(minimum, try row[2])
      maximum = max(maximum, try row[3])
    }
    return MetricSummary(key: key, count: count, last: last, minimum: count > 0 ? minimum : nil,
                         maximum: count > 0 ? maximum : nil, profile: profile)
  }

  public func metricPointCount(runID: String) throws -> Int {
    try read { db in try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM metric WHERE run_id = ?", arguments: [runID]) ?? 0 }
  }

  public func artifacts(runID: String) throws -> [ArtifactRecord] {
    try read { db in
      try db.fetchAll(sql: "SELECT name, sha256, size, storage_path, logged_at FROM artifact WHERE run_id = ? ORDER BY name",
                      arguments: [runID]).map {
        try ArtifactRecord(name: $0["name"], sha256: $0["sha256"], size: $0["size"], storagePath: $0["storage_path"],
                           loggedTime: Milliseconds.date($0["logged_at"]))
      }
    }
  }

  public func datasetInputs(runID: String) throws -> [DatasetReference] {
    try read { db in
      try db.fetchAll(sql: "SELECT name, version, fingerprint, split FROM dataset_input WHERE run_id = ? ORDER BY name, split",
                      arguments: [runID]).map {
        try DatasetReference(name: $0["name"], version: $0["version"], fingerprint: $0["fingerprint"], split: $0["split"])
      }
    }
  }

  public func auditEvents() throws -> [AuditEvent] {
    try auditEvents(matching: AuditEventQuery())
  }

  public func auditHead() throws -> AuditHead {
    try read { db in
      guard let row = try db.fetchOne(sql: "SELECT sequence, hash FROM audit_event ORDER BY sequence DESC LIMIT 1") else {
        return .empty
      }
      return try AuditHead(sequence: row["sequence"], hash: row["hash"])
    }
  }

  public func integrityCheck() throws -> String {
    try read { db in try db.fetchValues(String.self, sql: db.dialect.integrityCheck).joined(separator: "\n") }
  }
}
