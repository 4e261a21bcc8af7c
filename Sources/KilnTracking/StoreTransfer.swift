import Foundation
import KilnSQL

/// A store's contents as the rows of its tables, to move a whole store into another database
/// (`kiln store migrate`): every row as it is, the audit log's hashes included, so the chain
/// that verified in one store verifies in the other.
public protocol StoreTransfer: Sendable {
  /// Whether the store holds no experiment, run, model or audit event.
  func isEmpty() throws -> Bool
  /// Calls `body` with the rows of each table of `StoreTable.all`, in that order, in batches;
  /// all batches come from one consistent read.
  func readContents(_ body: (StoreTable, [[SQLValue]]) throws -> Void) throws
  /// Runs `fill` in one write transaction of this store; `fill` inserts batches of rows with the
  /// function it is given. Nothing is written when `fill` throws.
  func writeContents(_ fill: (_ insert: (StoreTable, [[SQLValue]]) throws -> Void) throws -> Void) throws
}

/// One table of the store and the columns that move with it, parents before children.
public struct StoreTable: Sendable, Equatable {
  public let name: String
  public let columns: [String]
  /// The order rows are read in (a parent run before its children: `start_time` first).
  let ordering: String
  /// Columns that PostgreSQL keeps as BOOLEAN and SQLite as 1 or 0.
  let booleanColumns: Set<String>

  init(_ name: String, _ columns: [String], orderedBy ordering: String, booleans: Set<String> = []) {
    self.name = name
    self.columns = columns
    self.ordering = ordering
    booleanColumns = booleans
  }

  /// Every table, in an order that inserts satisfy the foreign keys.
  public static let all: [StoreTable] = [
    StoreTable("experiment", ["id", "name", "created_at"], orderedBy: "id"),
    StoreTable("run", ["id", "experiment_id", "name", "status", "start_time", "end_time", "seed", "command_line", "host", "pid",
                       "heartbeat_at", "heartbeat_interval", "git_commit", "git_dirty", "parent_id", "configuration",
                       "configuration_hash", "deleted_at", "generation"], orderedBy: "start_time, id", booleans: ["git_dirty"]),
    StoreTable("param", ["run_id", "key", "value"], orderedBy: "run_id, key"),
    StoreTable("tag", ["run_id", "key", "value"], orderedBy: "run_id, key"),
    StoreTable("metric", ["run_id", "key", "step", "timestamp", "value"], orderedBy: "run_id, key, step, timestamp, value"),
    StoreTable("latest_metric", ["run_id", "key", "step", "value", "timestamp", "count"], orderedBy: "run_id, key"),
    StoreTable("artifact", ["run_id", "name", "sha256", "size", "storage_path", "logged_at"], orderedBy: "run_id, name"),
    StoreTable("dataset_input", ["run_id", "name", "version", "fingerprint", "split"], orderedBy: "run_id, name, version, split"),
    StoreTable("audit_event", ["sequence", "kind", "run_id", "timestamp", "payload", "previous_hash", "hash"], orderedBy: "sequence"),
    StoreTable("registered_model", ["name", "created_at"], orderedBy: "name"),
    StoreTable("model_version", ["model_name", "version", "run_id", "checkpoint_artifact", "checkpoint_sha256", "dataset_fingerprint",
                                 "git_commit", "configuration_hash", "stage", "created_at", "stage_changed_at", "production_since",
                                 "last_event"], orderedBy: "model_name, version"),
    StoreTable("model_alias", ["model_name", "alias", "version"], orderedBy: "model_name, alias"),
    StoreTable("sweep_trial", ["sweep_run_id", "number", "run_id", "state", "value", "error", "payload", "ready", "lease_owner",
                               "lease_host", "lease_pid", "heartbeat_at", "start_time", "end_time", "restart_count"],
               orderedBy: "sweep_run_id, number", booleans: ["ready"]),
  ]

  /// `values` (a row of `columns`) as this table's columns take them: 1 or 0 read from SQLite
  /// becomes a boolean for PostgreSQL's BOOLEAN columns (SQLite binds a boolean as 1 or 0).
  func normalised(_ values: [SQLValue]) -> [SQLValue] {
    guard !booleanColumns.isEmpty else { return values }
    var result = values
    for (index, column) in columns.enumerated() where booleanColumns.contains(column) {
      if let flag = Bool(sqlValue: values[index]), values[index] != .null { result[index] = .boolean(flag) }
    }
    return result
  }
}

extension SQLTrackingStore {
  public func isEmpty() throws -> Bool {
    try read { db in
      try ["experiment", "run", "registered_model", "audit_event"].allSatisfy {
        try db.fetchOne(sql: "SELECT 1 FROM \($0) LIMIT 1") == nil
      }
    }
  }

  public func readContents(_ body: (StoreTable, [[SQLValue]]) throws -> Void) throws {
    try read { db in
      for table in StoreTable.all {
        var batch: [[SQLValue]] = []
        try db.forEachRow(sql: "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.ordering)",
                          arguments: []) { row in
          batch.append(table.normalised(row.values))
          if batch.count == 10_000 {
            try body(table, batch)
            batch.removeAll(keepingCapacity: true)
          }
        }
        if !batch.isEmpty { try body(table, batch) }
      }
    }
  }

  public func writeContents(_ fill: (_ insert: (StoreTable, [[SQLValue]]) throws -> Void) throws -> Void) throws {
    try write { db in
      try fill { table, rows in
        try Self.insertRows(db, table: table.name, columns: table.columns, rows.map { $0.map { $0 } }, conflict: "")
      }
      // Identity columns filled with explicit values must go on numbering after them.
      if let advance = db.dialect.advancingIdentity(table: "experiment", column: "id") { try db.execute(sql: advance) }
    }
  }
}
