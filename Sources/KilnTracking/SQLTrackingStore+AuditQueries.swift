import Foundation
import KilnSQL

extension SQLTrackingStore {
  public func auditEvents(matching query: AuditEventQuery) throws -> [AuditEvent] {
    try read { db in
      var (sql, arguments) = Self.auditCondition(query, dialect: db.dialect)
      sql = "SELECT sequence, kind, run_id, timestamp, payload, previous_hash, hash FROM audit_event" + sql
        + " ORDER BY sequence" + (query.newestFirst ? " DESC" : "")
      if let limit = query.limit { sql += " LIMIT \(max(0, limit))" }
      if query.offset > 0 { sql += db.dialect.offset(query.offset, afterLimit: query.limit != nil) }
      var events: [AuditEvent] = []
      try db.forEachRow(sql: sql, arguments: arguments) { row in
        events.append(try AuditEvent(sequence: row[0], kind: AuditEventKind(row[1] as String), runID: row[2],
                                     timestamp: Milliseconds.date(row[3]), payload: row[4], previousHash: row[5], hash: row[6]))
      }
      return events
    }
  }

  public func auditEventCount(matching query: AuditEventQuery) throws -> Int {
    try read { db in
      let (condition, arguments) = Self.auditCondition(query, dialect: db.dialect)
      return try db.fetchValue(Int.self, sql: "SELECT COUNT(*) FROM audit_event" + condition, arguments: arguments) ?? 0
    }
  }

  public func auditEventKinds() throws -> [AuditEventKind] {
    try read { db in try db.fetchValues(String.self, sql: "SELECT DISTINCT kind FROM audit_event ORDER BY kind").map { AuditEventKind(rawValue: $0) } }
  }

  /// The `WHERE` clause of `query` (empty when it selects everything) and its arguments.
  static func auditCondition(_ query: AuditEventQuery, dialect: SQLDialect) -> (String, SQLArguments) {
    var conditions: [String] = []
    var arguments: SQLArguments = []
    if let kind = query.kind {
      conditions.append("kind = ?")
      arguments += [kind.rawValue]
    }
    if let prefix = query.runIDPrefix, !prefix.isEmpty {
      // `substr` counts characters and compares case-sensitively, in both databases.
      conditions.append("substr(run_id, 1, CAST(? AS INTEGER)) = ?")
      arguments += [Int64(prefix.count), prefix]
    }
    if let model = query.model {
      conditions.append(dialect.contains("payload"))
      arguments += ["\"model\":" + JSONValue.string(model).canonicalText]
    }
    if let text = query.text, !text.isEmpty {
      conditions.append(dialect.contains("lower(payload)"))
      arguments += [text.lowercased()]
    }
    if let sequence = query.sequence {
      conditions.append("sequence = ?")
      arguments += [sequence]
    }
    return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), arguments)
  }
}
