import Foundation

/// Moves a whole store into another (`kiln store migrate`): every table's rows as they are, in one
/// transaction of the target, then the target's audit log verified against the source's head.
///
/// The audit log moves with its hashes, so a chain that verified in the source verifies in the
/// target and every head recorded in reports still matches. Artifact contents stay where they
/// are (the content-addressed root that hosts share); their index moves.
public enum StoreMigration {
  /// What a migration moved.
  public struct Summary: Sendable {
    /// Rows per table, in `StoreTable.all`'s order.
    public var rows: [(table: String, count: Int)]
    /// The audit log's head, the same in both stores.
    public var auditHead: AuditHead
    /// The audit events verified in the target.
    public var auditEvents: Int
  }

  /// Copies `source` into `target`, which must hold nothing.
  /// - Throws: `TrackingError`: `.storeNotEmpty` for a target that holds runs, models or audit
  ///   events; `.auditLogBroken` when the source's log does not verify (a copy would vouch for
  ///   it), or when the target's does not after the copy; the stores' errors.
  public static func migrate(from source: any TrackingStore, named sourceName: String,
                             to target: any TrackingStore, named targetName: String) throws -> Summary {
    let sourceVerification = try AuditVerification.verify(store: source)
    guard sourceVerification.isIntact else {
      throw TrackingError(.auditLogBroken, "the audit log of \(sourceName) does not verify: \(sourceVerification.reason ?? "")",
                          hint: "run `kiln audit verify` on it; a store whose log is broken is not moved, so that its copy does not vouch for it")
    }
    guard try target.isEmpty() else {
      throw TrackingError(.storeNotEmpty, "the target store \(targetName) already holds runs, models or audit events",
                          hint: "migrate into a new, empty store (for PostgreSQL: createdb a new database); two audit logs cannot be merged into one chain")
    }
    let head = try source.auditHead()
    var counts: [String: Int] = [:]
    try target.writeContents { insert in
      try source.readContents { table, rows in
        counts[table.name, default: 0] += rows.count
        try insert(table, rows)
      }
    }
    let verification = try AuditVerification.verify(store: target)
    let targetHead = try target.auditHead()
    guard verification.isIntact, targetHead == head else {
      throw TrackingError(.auditLogBroken, "the audit log of \(targetName) does not verify after the copy: "
                          + (verification.reason ?? "its head is \(targetHead), the source's \(head)"),
                          hint: "the copy is committed but must not be used: drop the target database and migrate again")
    }
    return Summary(rows: StoreTable.all.map { ($0.name, counts[$0.name] ?? 0) }, auditHead: head, auditEvents: verification.eventCount)
  }
}
