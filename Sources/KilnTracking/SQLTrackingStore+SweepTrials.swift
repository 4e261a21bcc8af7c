import Foundation
import KilnSQL

/// Sweep trials (`SweepTrialStore`) in table `sweep_trial`: each read-modify-write is one
/// transaction, so worker processes sharing the store never lose each other's updates or claim
/// the same trial.
extension SQLTrackingStore {
  public func insertSweepTrial(sweepRunID: String, state: String, payload: String, leaseOwner: String?,
                               at time: Date) throws -> SweepTrialRow {
    try write { db in
      // One inserter per sweep at a time, so two never take the same next number.
      if let lock = db.dialect.serialising(space: 1801, key: sweepRunID) { try db.execute(sql: lock.sql, arguments: lock.arguments) }
      let next = try db.fetchValue(Int.self, sql: "SELECT COALESCE(MAX(number) + 1, 0) FROM sweep_trial WHERE sweep_run_id = ?",
                                   arguments: [sweepRunID]) ?? 0
      let row = SweepTrialRow(sweepRunID: sweepRunID, number: next, state: state, payload: payload,
                              leaseOwner: leaseOwner, heartbeatTime: time, startTime: time)
      try Self.save(row, in: db, inserting: true)
      return row
    }
  }

  @discardableResult
  public func updateSweepTrial(sweepRunID: String, number: Int,
                               _ change: @escaping (inout SweepTrialRow) throws -> Void) throws -> SweepTrialRow {
    try write { db in
      guard var row = try Self.fetchTrials(db, sweepRunID: sweepRunID, number: number, locking: true).first else {
        throw TrackingError(.unknownRun, "sweep \(sweepRunID) has no trial \(number)",
                            hint: "`kiln sweep show \(sweepRunID)` lists its trials")
      }
      try change(&row)
      try Self.save(row, in: db, inserting: false)
      return row
    }
  }

  public func claimSweepTrial(sweepRunID: String, runningState: String, owner: String, host: String,
                              processID: Int32, at time: Date) throws -> SweepTrialRow? {
    try write { db in
      guard let number = try db.fetchValue(Int.self, sql: """
        SELECT number FROM sweep_trial
        WHERE sweep_run_id = ? AND state = ? AND ready = ? AND lease_owner IS NULL
        ORDER BY number LIMIT 1
        """ + db.dialect.claimingUnlockedRows, arguments: [sweepRunID, runningState, true]),
        var row = try Self.fetchTrials(db, sweepRunID: sweepRunID, number: number, locking: true).first else { return nil }
      row.leaseOwner = owner
      row.leaseHost = host
      row.leaseProcessID = processID
      row.heartbeatTime = time
      try Self.save(row, in: db, inserting: false)
      return row
    }
  }

  public func sweepTrial(sweepRunID: String, number: Int) throws -> SweepTrialRow? {
    try read { db in try Self.fetchTrials(db, sweepRunID: sweepRunID, number: number).first }
  }

  public func sweepTrials(sweepRunID: String) throws -> [SweepTrialRow] {
    try read { db in try Self.fetchTrials(db, sweepRunID: sweepRunID, number: nil) }
  }

  /// The trials of a sweep (one when `number` is given); `locking` holds their rows until the
  /// transaction ends, so a concurrent change waits rather than being overwritten.
  private static func fetchTrials(_ db: Connection, sweepRunID: String, number: Int?, locking: Bool = false) throws -> [SweepTrialRow] {
    var sql = """
      SELECT number, run_id, state, value, error, payload, ready, lease_owner, lease_host, lease_pid,
             heartbeat_at, start_time, end_time, restart_count
      FROM sweep_trial WHERE sweep_run_id = ?
      """
    var arguments: SQLArguments = [sweepRunID]
    if let number {
      sql += " AND number = ?"
      arguments += [number]
    }
    sql += " ORDER BY number" + (locking ? db.dialect.lockingForUpdate : "")
    return try db.fetchAll(sql: sql, arguments: arguments).map { row in
      try SweepTrialRow(
        sweepRunID: sweepRunID, number: row["number"], runID: row["run_id"], state: row["state"],
        value: row["value"], error: row["error"], payload: row["payload"], ready: row["ready"],
        leaseOwner: row["lease_owner"], leaseHost: row["lease_host"],
        leaseProcessID: (row["lease_pid"] as Int64?).map { Int32(truncatingIfNeeded: $0) },
        heartbeatTime: (row["heartbeat_at"] as Int64?).map(Milliseconds.date),
        startTime: Milliseconds.date(row["start_time"]), endTime: (row["end_time"] as Int64?).map(Milliseconds.date),
        restartCount: row["restart_count"])
    }
  }

  private static func save(_ row: SweepTrialRow, in db: Connection, inserting: Bool) throws {
    let columns = ["run_id", "state", "value", "error", "payload", "ready", "lease_owner", "lease_host", "lease_pid",
                   "heartbeat_at", "start_time", "end_time", "restart_count"]
    let values: SQLArguments = [
      row.runID, row.state, row.value, row.error, row.payload, row.ready, row.leaseOwner, row.leaseHost,
      row.leaseProcessID.map { Int64($0) }, row.heartbeatTime.map(Milliseconds.from), Milliseconds.from(row.startTime),
      row.endTime.map(Milliseconds.from), row.restartCount,
    ]
    if inserting {
      try insertRows(db, table: "sweep_trial", columns: ["sweep_run_id", "number"] + columns, [[row.sweepRunID, row.number] + values], conflict: "")
    } else {
      try db.execute(sql: "UPDATE sweep_trial SET " + columns.map { "\($0) = ?" }.joined(separator: ", ") + " WHERE sweep_run_id = ? AND number = ?",
                     arguments: values + [row.sweepRunID, row.number])
    }
  }
}
