import Foundation
import KilnSQL

/// The tracking store, written once over an SQL binding: `SQLiteTrackingStore`, the embedded
/// default (one file in WAL mode that several processes share), and `PostgresTrackingStore`, the
/// team store (a PostgreSQL database that processes on several hosts write at once).
///
/// Both keep the same tables (`SQLTrackingStore+Schema`). Every write is one transaction that
/// the binding runs again when it loses to a concurrent one; where the two databases differ
/// (locks, a few functions) the connection's `SQLDialect` says how. An SQLite write transaction
/// holds the whole file, so writers take turns; on PostgreSQL, audit appends hold the audit
/// table's lock, so concurrent writers make one hash chain, and sweep trials are leased under
/// row locks (`FOR UPDATE SKIP LOCKED`), so two workers never claim the same trial.
public final class SQLTrackingStore<Database: SQLDatabase>: TrackingStore {
  typealias Connection = Database.Connection
  let database: Database

  /// Takes a database whose schema is migrated (`migrations(for:)`).
  init(database: Database) {
    self.database = database
  }

  /// Whether the store can only be read (a file on a read-only mount, an archived copy): every
  /// query works, every write is refused with a hint.
  public var isReadOnly: Bool { database.isReadOnly }

  func write<T>(_ body: (Connection) throws -> T) throws -> T {
    guard !isReadOnly else {
      throw TrackingError(.readOnlyStore, "the tracking store \(database.location) is read-only, and this command writes to it",
                          hint: "listing, showing, comparing runs and `kiln audit verify` work on it; copy the store somewhere writable to change it")
    }
    return try database.write(body)
  }

  func read<T>(_ body: (Connection) throws -> T) throws -> T {
    try database.read(body)
  }

  // MARK: Writing

  public func experimentID(named name: String, at time: Date) throws -> Int64 {
    try write { db in
      try db.execute(sql: "INSERT INTO experiment(name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                     arguments: [name, Milliseconds.from(time)])
      guard let id = try db.fetchValue(Int64.self, sql: "SELECT id FROM experiment WHERE name = ?", arguments: [name]) else {
        throw TrackingError(.unknownExperiment, "experiment '\(name)' was written but cannot be read back from the tracking store \(database.location)",
                            hint: "check the database's log; the change was not committed")
      }
      return id
    }
  }

  public func insertRun(_ run: RunRecord, parameters: [String: String], tags: [String: String]) throws {
    let commandLine = JSONValue.array(run.commandLine.map(JSONValue.string)).canonicalText
    try write { db in
      try db.execute(sql: """
        INSERT INTO run(id, experiment_id, name, status, start_time, end_time, seed, command_line, host, pid,
                        heartbeat_at, heartbeat_interval, git_commit, git_dirty, parent_id, configuration, configuration_hash)
        VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, arguments: [
          run.id, run.experimentID, run.name, run.status.rawValue, Milliseconds.from(run.startTime),
          run.seed.map { Int64(bitPattern: $0) }, commandLine, run.host, Int64(run.processID),
          Milliseconds.from(run.heartbeatTime), run.heartbeatInterval, run.sourceVersion?.commit, run.sourceVersion?.isDirty,
          run.parentID, run.configurationText, run.configurationHash,
        ])
      try Self.insertKeyValues(db, table: "param", runID: run.id, parameters, conflict: "")
      try Self.insertKeyValues(db, table: "tag", runID: run.id, tags, conflict: "")
      var payload: [String: JSONValue] = [
        "experiment": .string(run.experiment), "name": .string(run.name),
        "configuration_hash": .string(run.configurationHash), "host": .string(run.host),
      ]
      if let parent = run.parentID { payload["parent"] = .string(parent) }
      if let source = run.sourceVersion {
        payload["git_commit"] = .string(source.commit)
        payload["git_dirty"] = .bool(source.isDirty)
      }
      _ = try Self.appendAudit(db, kind: .runStarted, runID: run.id, payload: .object(payload), at: run.startTime)
    }
  }

  /// Inserts `rows` into `table` in statements of up to 1,000 rows each; `columns` names the
  /// columns and `conflict` is a fixed `ON CONFLICT` clause (never user text).
  static func insertRows(_ db: Connection, table: String, columns: [String], _ rows: [SQLArguments], conflict: String) throws {
    let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
    for start in stride(from: 0, to: rows.count, by: 1_000) {
      let chunk = rows[start..<min(start + 1_000, rows.count)]
      try db.execute(sql: "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES "
                       + Array(repeating: placeholders, count: chunk.count).joined(separator: ", ") + " " + conflict,
                     arguments: chunk.flatMap { $0 })
    }
  }

  /// Inserts key-value rows of one run, in key order.
  static func insertKeyValues(_ db: Connection, table: String, runID: String, _ values: [String: String], conflict: String) throws {
    let rows: [SQLArguments] = values.sorted { $0.key < $1.key }.map { [runID, $0.key, $0.value] }
    try insertRows(db, table: table, columns: ["run_id", "key", "value"], rows, conflict: conflict)
  }

  public func appendMetrics(_ points: [MetricPoint], runID: String, generation: Int64?) throws {
    guard !points.isEmpty else { return }
    var latest: [String: (point: MetricPoint, count: Int)] = [:]
    for point in points {
      if let current = latest[point.key] {
        let newer = point.step >= current.point.step ? point : current.point
        latest[point.key] = (newer, current.count + 1)
      } else {
        latest[point.key] = (point, 1)
      }
    }
    try write { db in
      try Self.checkGeneration(db, runID: runID, generation: generation)
      let rows: [SQLArguments] = points.map { [runID, $0.key, $0.step, $0.value, Milliseconds.from($0.timestamp)] }
      try Self.insertRows(db, table: "metric", columns: ["run_id", "key", "step", "value", "timestamp"], rows, conflict: "ON CONFLICT DO NOTHING")
      // In key order, so that two writers of one run lock its rows in the same order.
      for (key, entry) in latest.sorted(by: { $0.key < $1.key }) {
        try db.execute(sql: """
          INSERT INTO latest_metric AS l (run_id, key, step, value, timestamp, count) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (run_id, key) DO UPDATE SET
            step = CASE WHEN excluded.step >= l.step THEN excluded.step ELSE l.step END,
            value = CASE WHEN excluded.step >= l.step THEN excluded.value ELSE l.value END,
            timestamp = CASE WHEN excluded.step >= l.step THEN excluded.timestamp ELSE l.timestamp END,
            count = l.count + excluded.count
          """, arguments: [runID, key, entry.point.step, entry.point.value, Milliseconds.from(entry.point.timestamp), entry.count])
      }
    }
  }

  public func setTag(runID: String, key: String, value: String, generation: Int64?) throws {
    try write { db in
      try Self.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: "INSERT INTO tag(run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                     arguments: [runID, key, value])
    }
  }

  public func setParameters(runID: String, _ parameters: [String: String], replacing: Bool, generation: Int64?) throws {
    try write { db in
      try Self.checkGeneration(db, runID: runID, generation: generation)
      let conflict = replacing ? "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value" : "ON CONFLICT (run_id, key) DO NOTHING"
      try Self.insertKeyValues(db, table: "param", runID: runID, parameters, conflict: conflict)
    }
  }

  public func insertArtifact(_ artifact: ArtifactRecord, runID: String, generation: Int64?) throws {
    try write { db in
      try Self.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: """
        INSERT INTO artifact(run_id, name, sha256, size, storage_path, logged_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (run_id, name) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
          storage_path = excluded.storage_path, logged_at = excluded.logged_at
        """, arguments: [runID, artifact.name, artifact.sha256, artifact.size, artifact.storagePath,
                         Milliseconds.from(artifact.loggedTime)])
      let payload = JSONValue.object(["name": .string(artifact.name), "sha256": .string(artifact.sha256),
                                      "size": .number(Double(artifact.size))])
      _ = try Self.appendAudit(db, kind: .artifactLogged, runID: runID, payload: payload, at: artifact.loggedTime)
    }
  }

  public func insertDatasetInput(_ dataset: DatasetReference, runID: String, generation: Int64?) throws {
    try write { db in
      try Self.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: """
        INSERT INTO dataset_input(run_id, name, version, fingerprint, split) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (run_id, name, version, split) DO UPDATE SET fingerprint = excluded.fingerprint
        """, arguments: [runID, dataset.name, dataset.version, dataset.fingerprint, dataset.split])
    }
  }

  public func updateHeartbeat(runID: String, at time: Date, generation: Int64?) throws {
    try write { db in
      try Self.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: "UPDATE run SET heartbeat_at = ? WHERE id = ? AND status = 'running'",
                     arguments: [Milliseconds.from(time), runID])
    }
  }

  public func endRun(runID: String, status: RunStatus, at time: Date, details: [String: JSONValue], generation: Int64?) throws {
    try write { db in
      try Self.checkGeneration(db, runID: runID, generation: generation)
      let changed = try db.execute(sql: "UPDATE run SET status = ?, end_time = ? WHERE id = ? AND status = 'running'",
                                   arguments: [status.rawValue, Milliseconds.from(time), runID])
      guard changed > 0 else { return }
      var payload = details
      payload["status"] = .string(status.rawValue)
      let kind: AuditEventKind = status == .killed ? .runKilled : .runFinished
      _ = try Self.appendAudit(db, kind: kind, runID: runID, payload: .object(payload), at: time)
    }
  }

  public func reopenRun(runID: String, host: String, processID: Int32, at time: Date) throws -> Int64 {
    try write { db in
      let previous = try db.fetchValue(String.self, sql: "SELECT status FROM run WHERE id = ?" + db.dialect.lockingForUpdate, arguments: [runID])
      let changed = try db.execute(sql: """
        UPDATE run SET status = 'running', end_time = NULL, host = ?, pid = ?, heartbeat_at = ?, generation = generation + 1
        WHERE id = ? AND status IN ('killed', 'failed')
        """, arguments: [host, processID, Milliseconds.from(time), runID])
      guard changed > 0 else {
        throw TrackingError(.runNotRunning, "run \(runID) is \(previous ?? "unknown"), not killed or failed, so it cannot be resumed",
                            hint: "resume only runs that were killed or failed; see `kiln runs show \(runID)`")
      }
      let generation = try db.fetchValue(Int64.self, sql: "SELECT generation FROM run WHERE id = ?", arguments: [runID]) ?? 0
      _ = try Self.appendAudit(db, kind: .runResumed, runID: runID,
                               payload: .object(["previous_status": .string(previous ?? ""), "pid": .number(Double(processID)),
                                                 "generation": .number(Double(generation))]), at: time)
      return generation
    }
  }

  /// Refuses, inside the caller's write transaction, a write by a process whose generation of the
  /// run is no longer the current one (the run was resumed elsewhere since it started writing).
  /// The run's row cannot change until the transaction ends, so a resume waits for the write,
  /// and the write for a resume.
  static func checkGeneration(_ db: Connection, runID: String, generation: Int64?) throws {
    guard let generation else { return }
    let current = try db.fetchValue(Int64.self, sql: "SELECT generation FROM run WHERE id = ?" + db.dialect.lockingForShare, arguments: [runID])
    guard let current, current != generation else { return }
    throw TrackingError(.staleWriter, "run \(runID) was resumed by another process (generation \(current)); this process "
                        + "(generation \(generation)) may no longer write to it, and stops",
                        hint: "the resumed run carries on; see `kiln runs show \(runID)`")
  }

  public func softDeleteRun(runID: String, at time: Date) throws {
    try write { db in
      let changed = try db.execute(sql: "UPDATE run SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                                   arguments: [Milliseconds.from(time), runID])
      guard changed > 0 else { return }
      _ = try Self.appendAudit(db, kind: .runDeleted, runID: runID, payload: .object([:]), at: time)
    }
  }

  @discardableResult
  public func appendAuditEvent(kind: AuditEventKind, runID: String?, payload: JSONValue, at time: Date) throws -> AuditEvent {
    try write { db in try Self.appendAudit(db, kind: kind, runID: runID, payload: payload, at: time) }
  }

  /// Appends one chained event inside the caller's write transaction. Concurrent appends take
  /// turns until their transactions end (the audit table's lock; SQLite's write lock), so each
  /// reads the head the previous one committed and the log stays one chain.
  static func appendAudit(_ db: Connection, kind: AuditEventKind, runID: String?, payload: JSONValue, at time: Date) throws -> AuditEvent {
    if let lock = db.dialect.lockingTable("audit_event") { try db.execute(sql: lock) }
    let last = try db.fetchOne(sql: "SELECT sequence, hash FROM audit_event ORDER BY sequence DESC LIMIT 1")
    let sequence: Int64 = try (last.map { try $0["sequence"] } ?? 0) + 1
    let previousHash: String = try last.map { try $0["hash"] } ?? AuditEvent.genesisHash
    let milliseconds = Milliseconds.from(time)
    let payloadText = payload.canonicalText
    let hash = AuditEvent.chainHash(previousHash: previousHash, sequence: sequence, kind: kind, runID: runID,
                                    timestampMilliseconds: milliseconds, payload: payloadText)
    try db.execute(sql: """
      INSERT INTO audit_event(sequence, kind, run_id, timestamp, payload, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)
      """, arguments: [sequence, kind.rawValue, runID, milliseconds, payloadText, previousHash, hash])
    return AuditEvent(sequence: sequence, kind: kind, runID: runID, timestamp: Milliseconds.date(milliseconds),
                      payload: payloadText, previousHash: previousHash, hash: hash)
  }
}
