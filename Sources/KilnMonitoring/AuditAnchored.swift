import Foundation
import KilnTracking

/// A report encoded with the audit log's head beside its own keys (`"audit_head": {…}`), for
/// reports whose type lives below the tracking layer (drift).
struct AuditAnchored<Report: Encodable>: Encodable {
  var report: Report
  var auditHead: AuditHead?

  enum CodingKeys: String, CodingKey { case auditHead = "audit_head" }

  func encode(to encoder: any Encoder) throws {
    try report.encode(to: encoder)
    // A second keyed container on the same encoder adds to the object the report just wrote.
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(auditHead, forKey: .auditHead)
  }
}
