import Foundation
import KilnSQLite

/// The embedded tracking store: one SQLite file in WAL mode, shared safely by several processes.
///
/// Writers wait for each other (a busy timeout, then a bounded retry), so concurrent training
/// processes never fail with "database is locked". Every write is one transaction.
public final class SQLiteTrackingStore: TrackingStore {
  let database: SQLiteDatabase
  /// The database file.
  public let databaseFile: URL
  /// Whether the store was opened read-only because its file or folder cannot be written (a
  /// read-only mount, an archived copy): every query works, every write is refused with a hint.
  public let isReadOnly: Bool

  /// Opens (creating and migrating when needed) the store in `databaseFile`. A store that exists
  /// but cannot be written is opened read-only.
  /// - Parameters:
  ///   - busyTimeout: how long a writer waits for another process's transaction.
  ///   - readOnly: open an existing store for reading only, even when it could be written (a viewer).
  public init(databaseFile: URL, busyTimeout: TimeInterval = 60, readOnly: Bool = false) throws {
    self.databaseFile = databaseFile
    let manager = FileManager.default
    let folder = databaseFile.deletingLastPathComponent().path
    if readOnly && !manager.fileExists(atPath: databaseFile.path) {
      throw TrackingError(.databaseUnavailable, "there is no tracking store at \(databaseFile.path)",
                          hint: "run a command that tracks runs (kiln train) first, or pass --store with the folder that holds kiln.sqlite")
    }
    isReadOnly = manager.fileExists(atPath: databaseFile.path)
      && (readOnly || !(manager.isWritableFile(atPath: databaseFile.path) && manager.isWritableFile(atPath: folder)))
    // Without its write-ahead log beside it, every committed transaction of a read-only store is
    // in the main file; SQLite can then read it as immutable without creating the log's files.
    let walExists = manager.fileExists(atPath: databaseFile.path + "-wal")
    let access: SQLiteDatabase.Access = !isReadOnly ? .readWrite : walExists ? .readOnly : .immutable
    do {
      if !isReadOnly {
        try manager.createDirectory(at: databaseFile.deletingLastPathComponent(), withIntermediateDirectories: true)
      }
      database = try SQLiteTrackingStore.retrying { try SQLiteDatabase(file: databaseFile, access: access, busyTimeout: busyTimeout) }
      if isReadOnly {
        let complete = try database.read { db in try SQLiteTrackingStore.migrator.hasCompletedMigrations(db) }
        guard complete else {
          throw TrackingError(.databaseUnavailable, "the tracking store \(databaseFile.path) is read-only and older than this Kiln",
                              hint: "open it once with write access so that Kiln can upgrade it")
        }
      } else {
        try SQLiteTrackingStore.retrying { try SQLiteTrackingStore.migrator.migrate(database) }
      }
    } catch let error as SQLiteError {
      throw TrackingError(.databaseUnavailable, "cannot open the tracking store \(databaseFile.path): \(error.message)",
                          hint: "check that the directory is writable and the file is a Kiln store")
    }
  }

  /// Runs `body`, retrying while SQLite reports the database busy or locked past the timeout.
  static func retrying<T>(attempts: Int = 20, _ body: () throws -> T) throws -> T {
    var attempt = 0
    while true {
      do {
        return try body()
      } catch let error as SQLiteError where error.code == .busy || error.code == .locked {
        attempt += 1
        if attempt >= attempts { throw error }
        usleep(useconds_t(min(200_000, 1_000 << min(attempt, 10))))
      }
    }
  }

  func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
    guard !isReadOnly else {
      throw TrackingError(.readOnlyStore, "the tracking store \(databaseFile.path) is read-only, and this command writes to it",
                          hint: "listing, showing, comparing runs and `kiln audit verify` work on it; copy the store somewhere writable to change it")
    }
    return try SQLiteTrackingStore.retrying { try database.write(body) }
  }

  func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
    try SQLiteTrackingStore.retrying { try database.read(body) }
  }

  // MARK: Writing

  public func experimentID(named name: String, at time: Date) throws -> Int64 {
    try write { db in
      if let id = try db.fetchValue(Int64.self, sql: "SELECT id FROM experiment WHERE name = ?", arguments: [name]) {
        return id
      }
      try db.execute(sql: "INSERT INTO experiment(name, created_at) VALUES (?, ?)",
                     arguments: [name, Milliseconds.from(time)])
      return db.lastInsertedRowID
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
      for (key, value) in parameters {
        try db.execute(sql: "INSERT INTO param(run_id, key, value) VALUES (?, ?, ?)", arguments: [run.id, key, value])
      }
      for (key, value) in tags {
        try db.execute(sql: "INSERT INTO tag(run_id, key, value) VALUES (?, ?, ?)", arguments: [run.id, key, value])
      }
      var payload: [String: JSONValue] = [
        "experiment": .string(run.experiment), "name": .string(run.name),
        "configuration_hash": .string(run.configurationHash), "host": .string(run.host),
      ]
      if let parent = run.parentID { payload["parent"] = .string(parent) }
      if let source = run.sourceVersion {
        payload["git_commit"] = .string(source.commit)
        payload["git_dirty"] = .bool(source.isDirty)
      }
      _ = try SQLiteTrackingStore.appendAudit(db, kind: .runStarted, runID: run.id, payload: .object(payload), at: run.startTime)
    }
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
      try SQLiteTrackingStore.checkGeneration(db, runID: runID, generation: generation)
      let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO metric(run_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?)")
      for point in points {
        try insert.execute(arguments: [runID, point.key, point.step, point.value, Milliseconds.from(point.timestamp)])
      }
      let upsert = try db.cachedStatement(sql: """
        INSERT INTO latest_metric(run_id, key, step, value, timestamp, count) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(run_id, key) DO UPDATE SET
          step = CASE WHEN excluded.step >= step THEN excluded.step ELSE step END,
          value = CASE WHEN excluded.step >= step THEN excluded.value ELSE value END,
          timestamp = CASE WHEN excluded.step >= step THEN excluded.timestamp ELSE timestamp END,
          count = count + excluded.count
        """)
      for (key, entry) in latest {
        try upsert.execute(arguments: [runID, key, entry.point.step, entry.point.value,
                                       Milliseconds.from(entry.point.timestamp), entry.count])
      }
    }
  }

  public func setTag(runID: String, key: String, value: String, generation: Int64?) throws {
    try write { db in
      try SQLiteTrackingStore.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: "INSERT INTO tag(run_id, key, value) VALUES (?, ?, ?) ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value",
                     arguments: [runID, key, value])
    }
  }

  public func setParameters(runID: String, _ parameters: [String: String], replacing: Bool, generation: Int64?) throws {
    try write { db in
      try SQLiteTrackingStore.checkGeneration(db, runID: runID, generation: generation)
      let conflict = replacing ? "DO UPDATE SET value = excluded.value" : "DO NOTHING"
      for (key, value) in parameters {
        try db.execute(sql: "INSERT INTO param(run_id, key, value) VALUES (?, ?, ?) ON CONFLICT(run_id, key) \(conflict)",
                       arguments: [runID, key, value])
      }
    }
  }

  public func insertArtifact(_ artifact: ArtifactRecord, runID: String, generation: Int64?) throws {
    try write { db in
      try SQLiteTrackingStore.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: """
        INSERT INTO artifact(run_id, name, sha256, size, storage_path, logged_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(run_id, name) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
          storage_path = excluded.storage_path, logged_at = excluded.logged_at
        """, arguments: [runID, artifact.name, artifact.sha256, artifact.size, artifact.storagePath,
                         Milliseconds.from(artifact.loggedTime)])
      let payload = JSONValue.object(["name": .string(artifact.name), "sha256": .string(artifact.sha256),
                                      "size": .number(Double(artifact.size))])
      _ = try SQLiteTrackingStore.appendAudit(db, kind: .artifactLogged, runID: runID, payload: payload, at: artifact.loggedTime)
    }
  }

  public func insertDatasetInput(_ dataset: DatasetReference, runID: String, generation: Int64?) throws {
    try write { db in
      try SQLiteTrackingStore.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: """
        INSERT INTO dataset_input(run_id, name, version, fingerprint, split) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET fingerprint = excluded.fingerprint
        """, arguments: [runID, dataset.name, dataset.version, dataset.fingerprint, dataset.split])
    }
  }

  public func updateHeartbeat(runID: String, at time: Date, generation: Int64?) throws {
    try write { db in
      try SQLiteTrackingStore.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: "UPDATE run SET heartbeat_at = ? WHERE id = ? AND status = 'running'",
                     arguments: [Milliseconds.from(time), runID])
    }
  }

  public func endRun(runID: String, status: RunStatus, at time: Date, details: [String: JSONValue], generation: Int64?) throws {
    try write { db in
      try SQLiteTrackingStore.checkGeneration(db, runID: runID, generation: generation)
      try db.execute(sql: "UPDATE run SET status = ?, end_time = ? WHERE id = ? AND status = 'running'",
                     arguments: [status.rawValue, Milliseconds.from(time), runID])
      guard db.changesCount > 0 else { return }
      var payload = details
      payload["status"] = .string(status.rawValue)
      let kind: AuditEventKind = status == .killed ? .runKilled : .runFinished
      _ = try SQLiteTrackingStore.appendAudit(db, kind: kind, runID: runID, payload: .object(payload), at: time)
    }
  }

  public func reopenRun(runID: String, host: String, processID: Int32, at time: Date) throws -> Int64 {
    try write { db in
      let previous = try db.fetchValue(String.self, sql: "SELECT status FROM run WHERE id = ?", arguments: [runID])
      try db.execute(sql: """
        UPDATE run SET status = 'running', end_time = NULL, host = ?, pid = ?, heartbeat_at = ?, generation = generation + 1
        WHERE id = ? AND status IN ('killed', 'failed')
        """, arguments: [host, processID, Milliseconds.from(time), runID])
      guard db.changesCount > 0 else {
        throw TrackingError(.runNotRunning, "run \(runID) is \(previous ?? "unknown"), not killed or failed, so it cannot be resumed",
                            hint: "resume only runs that were killed or failed; see `kiln runs show \(runID)`")
      }
      let generation = try db.fetchValue(Int64.self, sql: "SELECT generation FROM run WHERE id = ?", arguments: [runID]) ?? 0
      _ = try SQLiteTrackingStore.appendAudit(db, kind: .runResumed, runID: runID,
                                              payload: .object(["previous_status": .string(previous ?? ""), "pid": .number(Double(processID)),
                                                                "generation": .number(Double(generation))]), at: time)
      return generation
    }
  }

  /// Refuses, inside the caller's write transaction, a write by a process whose generation of the
  /// run is no longer the current one (the run was resumed elsewhere since it started writing).
  static func checkGeneration(_ db: SQLiteConnection, runID: String, generation: Int64?) throws {
    guard let generation else { return }
    let current = try db.fetchValue(Int64.self, sql: "SELECT generation FROM run WHERE id = ?", arguments: [runID])
    guard let current, current != generation else { return }
    throw TrackingError(.staleWriter, "run \(runID) was resumed by another process (generation \(current)); this process "
                        + "(generation \(generation)) may no longer write to it, and stops",
                        hint: "the resumed run carries on; see `kiln runs show \(runID)`")
  }

  public func softDeleteRun(runID: String, at time: Date) throws {
    try write { db in
      try db.execute(sql: "UPDATE run SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                     arguments: [Milliseconds.from(time), runID])
      guard db.changesCount > 0 else { return }
      _ = try SQLiteTrackingStore.appendAudit(db, kind: .runDeleted, runID: runID, payload: .object([:]), at: time)
    }
  }

  @discardableResult
  public func appendAuditEvent(kind: AuditEventKind, runID: String?, payload: JSONValue, at time: Date) throws -> AuditEvent {
    try write { db in try SQLiteTrackingStore.appendAudit(db, kind: kind, runID: runID, payload: payload, at: time) }
  }

  /// Appends one chained event inside the caller's write transaction, which serialises writers.
  static func appendAudit(_ db: SQLiteConnection, kind: AuditEventKind, runID: String?, payload: JSONValue, at time: Date) throws -> AuditEvent {
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
