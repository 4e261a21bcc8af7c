import KilnCrypto
import Foundation

/// The kind of an audit event: an open set of names, so later modules add their own
/// (`AuditEventKind("model.registered")`) without changing the store.
public struct AuditEventKind: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }

  public static let runStarted: AuditEventKind = "run.started"
  public static let runFinished: AuditEventKind = "run.finished"
  public static let runKilled: AuditEventKind = "run.killed"
  public static let runResumed: AuditEventKind = "run.resumed"
  public static let runDeleted: AuditEventKind = "run.deleted"
  public static let artifactLogged: AuditEventKind = "artifact.logged"
  public static let gateEvaluated: AuditEventKind = "gate.evaluated"
  public static let modelPromoted: AuditEventKind = "model.promoted"
  public static let modelRegistered: AuditEventKind = "model.registered"
  public static let modelStageChanged: AuditEventKind = "model.stage_changed"
  public static let modelApproved: AuditEventKind = "model.approved"
  public static let modelGateOverridden: AuditEventKind = "model.gate_overridden"
  public static let modelRolledBack: AuditEventKind = "model.rolled_back"
}

/// One entry of the append-only audit log.
///
/// Each event carries the hash of the one before it, so changing, removing or reordering any
/// event breaks the chain from there on:
/// `hash = SHA-256(previousHash ‖ "\n" ‖ sequence ‖ "\n" ‖ kind ‖ "\n" ‖ runID ‖ "\n" ‖ timestampMilliseconds ‖ "\n" ‖ payload)`.
public struct AuditEvent: Codable, Equatable, Sendable {
  /// 1, 2, 3, … in the order events were appended.
  public var sequence: Int64
  public var kind: AuditEventKind
  /// The run the event concerns, if any.
  public var runID: String?
  public var timestamp: Date
  /// The event's details as canonical JSON text.
  public var payload: String
  public var previousHash: String
  public var hash: String

  public init(sequence: Int64, kind: AuditEventKind, runID: String?, timestamp: Date, payload: String,
              previousHash: String, hash: String) {
    self.sequence = sequence
    self.kind = kind
    self.runID = runID
    self.timestamp = timestamp
    self.payload = payload
    self.previousHash = previousHash
    self.hash = hash
  }

  /// The hash of the chain's first `previousHash`: 64 zeros.
  public static let genesisHash = String(repeating: "0", count: 64)

  /// The payload parsed as JSON.
  public var payloadValue: JSONValue { (try? JSONValue.parse(payload)) ?? .null }

  /// The hash this event should carry, computed from its fields.
  public var expectedHash: String {
    AuditEvent.chainHash(previousHash: previousHash, sequence: sequence, kind: kind, runID: runID,
                         timestampMilliseconds: Milliseconds.from(timestamp), payload: payload)
  }

  static func chainHash(previousHash: String, sequence: Int64, kind: AuditEventKind, runID: String?,
                        timestampMilliseconds: Int64, payload: String) -> String {
    let text = [previousHash, String(sequence), kind.rawValue, runID ?? "", String(timestampMilliseconds), payload]
      .joined(separator: "\n")
    return SHA256.hexDigest(text.utf8)
  }
}

/// The outcome of walking the audit chain.
public struct AuditVerification: Equatable, Sendable {
  /// How many events were checked.
  public var eventCount: Int
  /// The first event whose hash or link does not match, or `nil` when the chain is intact.
  public var firstBadEvent: Int64?
  /// Why that event does not match.
  public var reason: String?
  /// How many heads held outside the store (reports, checkpoints) the log was checked against.
  public var anchorsChecked: Int

  public init(eventCount: Int, firstBadEvent: Int64?, anchorsChecked: Int = 0, reason: String?) {
    self.eventCount = eventCount
    self.firstBadEvent = firstBadEvent
    self.anchorsChecked = anchorsChecked
    self.reason = reason
  }

  public var isIntact: Bool { firstBadEvent == nil }

  /// Walks a store's hash chain, then the registry against it, then the chain against heads
  /// held outside the store (`anchors`).
  public static func verify(store: any TrackingStore, anchors: [AuditAnchor] = []) throws -> AuditVerification {
    let events = try store.auditEvents()
    let verification = verify(events)
    guard verification.isIntact else { return verification }
    // The chain cannot see its newest events deleted; the model registry remembers the event
    // behind each version's stage, so a missing or rewritten one shows there.
    if let problem = try store.registryAuditProblems().first {
      return AuditVerification(eventCount: verification.eventCount, firstBadEvent: problem.event, reason: problem.reason)
    }
    if let failure = checkAnchors(anchors, against: events) { return failure }
    return AuditVerification(eventCount: events.count, firstBadEvent: nil, anchorsChecked: anchors.count, reason: nil)
  }

  /// Walks `events` (in sequence order) and names the first one that breaks the chain.
  public static func verify(_ events: [AuditEvent]) -> AuditVerification {
    var previous = AuditEvent.genesisHash
    var expectedSequence: Int64 = 1
    for event in events {
      if event.sequence != expectedSequence {
        return AuditVerification(eventCount: events.count, firstBadEvent: event.sequence,
                                 reason: "event \(event.sequence) follows \(expectedSequence - 1): an event is missing")
      }
      if event.previousHash != previous {
        return AuditVerification(eventCount: events.count, firstBadEvent: event.sequence,
                                 reason: "event \(event.sequence) (\(event.kind)) does not link to the hash of event \(event.sequence - 1)")
      }
      if event.hash != event.expectedHash {
        return AuditVerification(eventCount: events.count, firstBadEvent: event.sequence,
                                 reason: "event \(event.sequence) (\(event.kind)) was changed after it was written: its hash does not match its content")
      }
      previous = event.hash
      expectedSequence += 1
    }
    return AuditVerification(eventCount: events.count, firstBadEvent: nil, reason: nil)
  }
}

/// Dates as integer milliseconds since 1970, the precision the store keeps.
enum Milliseconds {
  static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
  static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
