import Foundation
import KilnDrift
import KilnOutput
import KilnTracking

/// A report encoded with the audit log's head beside its own keys (`"audit_head": {…}`), for
/// reports whose type lives below the tracking layer (drift).
public struct AuditAnchored<Report: Encodable>: Encodable {
  public var report: Report
  public var auditHead: AuditHead?

  enum CodingKeys: String, CodingKey { case auditHead = "audit_head" }

  public func encode(to encoder: any Encoder) throws {
    try report.encode(to: encoder)
    // A second keyed container on the same encoder adds to the object the report just wrote.
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(auditHead, forKey: .auditHead)
  }
}

extension AuditAnchored: CommandOutput where Report == DriftReport {
  public func text() -> String { report.text() }
}
