import Foundation

/// The newest event of the audit log at some moment: its sequence number and hash.
///
/// Every report Kiln issues records the head it was written at. A head held outside the store
/// pins the history up to it: rewriting any event up to `sequence` (even with the chain
/// recomputed) changes the hash there, and deleting the newest events leaves the log shorter than
/// `sequence`. JSON: `{"sequence": 12, "hash": "…"}`.
public struct AuditHead: Codable, Hashable, Sendable, CustomStringConvertible {
  public var sequence: Int64
  public var hash: String

  public init(sequence: Int64, hash: String) {
    self.sequence = sequence
    self.hash = hash
  }

  /// The head of an empty log.
  public static let empty = AuditHead(sequence: 0, hash: AuditEvent.genesisHash)

  /// "event 12, SHA-256 3f…": the form the Markdown and HTML reports print, and that
  /// `AuditHead.parse(text:)` reads back.
  public var description: String { "event \(sequence), SHA-256 \(hash)" }

  /// The line reports print: "Audit chain head: event 12, SHA-256 3f…".
  public var reportLine: String { "Audit chain head: \(description)" }

  /// Every head printed in `text` as `Audit chain head: event N, SHA-256 HASH`.
  public static func parse(text: String) -> [AuditHead] {
    let pattern = #/Audit chain head:\s*(?:<[^>]*>\s*)*event (\d+), SHA-256 (?:<[^>]*>)*([0-9a-f]{64})/#
    return text.matches(of: pattern).compactMap { match in
      Int64(match.output.1).map { AuditHead(sequence: $0, hash: String(match.output.2)) }
    }
  }
}

/// A head held outside the store, and where it was found (a report file, a signed checkpoint).
public struct AuditAnchor: Equatable, Sendable {
  public var head: AuditHead
  /// Where the head was read, for messages: a path, or a path and a JSON key.
  public var source: String

  public init(head: AuditHead, source: String) {
    self.head = head
    self.source = source
  }
}

extension AuditVerification {
  /// Checks `events` (an intact chain, in sequence order) against heads held outside the store.
  ///
  /// A head beyond the log's last event means the newest events were deleted; a head whose hash
  /// differs from the event's at that sequence means the history up to it was rewritten. The
  /// anchor with the lowest sequence that fails is named, so the reason bounds where the damage
  /// starts. Returns nil when every anchor matches.
  public static func checkAnchors(_ anchors: [AuditAnchor], against events: [AuditEvent]) -> AuditVerification? {
    let last = events.last?.sequence ?? 0
    for anchor in anchors.sorted(by: { ($0.head.sequence, $0.source) < ($1.head.sequence, $1.source) }) {
      let head = anchor.head
      if head.sequence > last {
        let missing = head.sequence == last + 1 ? "event \(head.sequence) was deleted" : "events \(last + 1)…\(head.sequence) were deleted"
        return AuditVerification(eventCount: events.count, firstBadEvent: last + 1, anchorsChecked: anchors.count,
                                 reason: "\(anchor.source) was written at event \(head.sequence), but the log ends at event \(last): \(missing)")
      }
      let recorded = head.sequence == 0 ? AuditEvent.genesisHash : events[Int(head.sequence) - 1].hash
      if recorded != head.hash {
        return AuditVerification(eventCount: events.count, firstBadEvent: head.sequence, anchorsChecked: anchors.count,
                                 reason: "event \(head.sequence) does not carry the hash \(anchor.source) recorded "
                                   + "(\(head.hash.prefix(16))…, the log has \(recorded.prefix(16))…): the history up to event \(head.sequence) was rewritten")
      }
    }
    return nil
  }
}
