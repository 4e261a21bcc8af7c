import KilnCrypto
import Foundation
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// What `kiln audit verify` found: the log's verification, and what was checked besides it.
public struct AuditReport: Sendable {
  public var verification: AuditVerification
  /// Report files that recorded a head.
  public var anchoredFiles: Int
  /// Signed checkpoints found, and how many of them were checked against a public key.
  public var checkpoints: Int
  public var checkpointsVerified: Int
  /// Approvals in the log that carry a signature (each re-checked), and those without.
  public var signedApprovals: Int
  public var unsignedApprovals: Int

  public var isIntact: Bool { verification.isIntact }

  /// One summary line for an intact log.
  public var summary: String {
    var parts = ["\(verification.eventCount) events, hash chain verified",
                 "checked against \(verification.anchorsChecked) head\(verification.anchorsChecked == 1 ? "" : "s") in \(anchoredFiles) report file\(anchoredFiles == 1 ? "" : "s")"]
    if checkpoints > 0 {
      parts.append(checkpointsVerified == checkpoints ? "\(checkpoints) signed checkpoint\(checkpoints == 1 ? "" : "s") verified"
                   : "\(checkpoints) signed checkpoint\(checkpoints == 1 ? "" : "s") NOT checked (pass --public-key FILE)")
    }
    if signedApprovals + unsignedApprovals > 0 {
      parts.append("\(signedApprovals) signed approval\(signedApprovals == 1 ? "" : "s") verified, \(unsignedApprovals) unsigned")
    }
    return "audit log intact: " + parts.joined(separator: "; ")
  }
}

/// `kiln audit verify` and `kiln audit checkpoint`: the log checked against the heads held outside
/// the store, and signed checkpoints of its head.
public enum AuditWorkflow {

  /// `reports/audit/checkpoints/`, where `kiln audit checkpoint` writes.
  public static func checkpointDirectory(layout: ProjectLayout) -> URL {
    layout.reportsDirectory.appendingPathComponent("audit", isDirectory: true).appendingPathComponent("checkpoints", isDirectory: true)
  }

  /// Signs the log's current head with the private key in `keyFile` (outside `.kiln/`) and
  /// writes the checkpoint to `output` (default `reports/audit/checkpoints/checkpoint-SEQUENCE.json`).
  /// - Returns: the file written and the checkpoint.
  public static func checkpoint(layout: ProjectLayout, keyFile: URL, output: URL? = nil) throws -> (URL, AuditCheckpoint) {
    let key = try SigningKeys.loadPrivateKey(file: keyFile, storeDirectory: layout.storeDirectory)
    let tracker = try Tracker(layout: layout, mustExist: true)
    let verification = try tracker.verifyAuditLog()
    guard verification.isIntact else {
      throw TrackingError(.auditLogBroken, "the audit log is broken at event \(verification.firstBadEvent ?? 0): \(verification.reason ?? ""); a checkpoint would vouch for it",
                          hint: "investigate with `kiln audit verify` before signing")
    }
    let checkpoint = try AuditCheckpoint.signing(try tracker.auditHead(), at: tracker.clock(), with: key)
    let file = output ?? checkpointDirectory(layout: layout).appendingPathComponent("checkpoint-\(checkpoint.auditHead.sequence).json")
    try ReportWriter.writeAtomically(checkpoint.json(), to: file)
    return (file, checkpoint)
  }

  /// Verifies the audit log: its chain, its registry, every head recorded by the files under
  /// `reports/` and in `files`, every signed checkpoint's signature (with `publicKeyFile`), and
  /// every signed approval against the governance policy's keys.
  /// - Throws: for a named file that is missing or records no head, or an unreadable key.
  public static func verify(layout: ProjectLayout, files: [URL] = [], publicKeyFile: URL? = nil) throws -> AuditReport {
    let tracker = try Tracker(layout: layout, mustExist: true)
    let publicKey = try publicKeyFile.map(SigningKeys.loadPublicKey(file:))
    var found = AnchorScan()
    for file in reportFiles(under: layout.reportsDirectory) { found.read(file, layout: layout) }
    for file in files {
      guard FileManager.default.fileExists(atPath: file.path) else {
        throw TrackingError(.reportUnreadable, "no report file at \(file.path)", hint: "name report files Kiln wrote (promotion.json, model-card.*, drift.json, monitor.json, checkpoints)")
      }
      guard found.read(file, layout: layout) else {
        throw TrackingError(.reportUnreadable, "\(file.path) records no audit chain head",
                            hint: "reports written before heads were recorded carry none; name a newer report")
      }
    }
    var report = AuditReport(verification: try tracker.verifyAuditLog(anchors: found.anchors), anchoredFiles: found.files,
                             checkpoints: found.checkpoints.count, checkpointsVerified: 0, signedApprovals: 0, unsignedApprovals: 0)
    if let publicKey {
      let events = report.verification.eventCount
      if found.checkpoints.isEmpty, report.isIntact {
        report.verification = AuditVerification(eventCount: events, firstBadEvent: 0, reason:
          "no signed checkpoint under \(ProjectLayout.relative(checkpointDirectory(layout: layout), to: layout)) to check with \(SigningKeys.fingerprint(publicKey)): they were deleted, or none was made (`kiln audit checkpoint --key FILE`)")
      }
      for (source, checkpoint) in found.checkpoints where report.isIntact {
        guard checkpoint.isSigned(by: publicKey) else {
          report.verification = AuditVerification(eventCount: events, firstBadEvent: checkpoint.auditHead.sequence, reason:
            "\(source): the checkpoint of event \(checkpoint.auditHead.sequence) is not signed by \(SigningKeys.fingerprint(publicKey)): it was forged or altered")
          break
        }
        report.checkpointsVerified += 1
      }
    }
    if report.isIntact { try checkApprovals(&report, events: try tracker.store.auditEvents(), layout: layout) }
    return report
  }

  /// Re-checks every signed `model.approved` event against its approver's key in the governance
  /// policy, and that the head it was signed at precedes it in this log; counts unsigned ones.
  static func checkApprovals(_ report: inout AuditReport, events: [AuditEvent], layout: ProjectLayout) throws {
    let file = layout.experimentsDirectory.appendingPathComponent(GovernancePolicy.fileName)
    let policy = FileManager.default.fileExists(atPath: file.path) ? try GovernancePolicy.load(file: file) : nil
    for event in events where event.kind == .modelApproved {
      guard let approval = SignedApproval(payload: event.payloadValue) else {
        report.unsignedApprovals += 1
        continue
      }
      var problem: String?
      if let key = policy?.publicKey(approver: approval.approver) {
        if !approval.isSigned(by: key) {
          problem = "\(approval.approver)'s signature does not verify with the key governance.yaml lists (\(SigningKeys.fingerprint(key))): the approval was forged or altered"
        } else if approval.auditHead.sequence >= event.sequence
                    || AuditVerification.checkAnchors([AuditAnchor(head: approval.auditHead, source: "the approval")], against: events) != nil {
          problem = "the approval was signed at \(approval.auditHead), which this log does not hold before it"
        }
      } else {
        problem = "experiments/\(GovernancePolicy.fileName) lists no key for '\(approval.approver)' under approver_keys, so the signature cannot be checked"
      }
      if let problem {
        report.verification = AuditVerification(eventCount: events.count, firstBadEvent: event.sequence,
                                                anchorsChecked: report.verification.anchorsChecked,
                                                reason: "event \(event.sequence) (model.approved): \(problem)")
        return
      }
      report.signedApprovals += 1
    }
  }

  /// Every `.json`, `.md` and `.html` file under `directory`, in path order.
  static func reportFiles(under directory: URL) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    return enumerator.compactMap { $0 as? URL }
      .filter { ["json", "md", "html"].contains($0.pathExtension) && !$0.lastPathComponent.hasPrefix(".") }
      .sorted { $0.path < $1.path }
  }
}

/// The heads found in report files: every `audit_head` object of a JSON file (at any depth), and
/// every "Audit chain head: event N, SHA-256 HASH" line of a Markdown or HTML file.
struct AnchorScan {
  var anchors: [AuditAnchor] = []
  var checkpoints: [(source: String, checkpoint: AuditCheckpoint)] = []
  var files = 0

  /// Reads `file`'s heads; returns whether it held any. Files that do not parse are skipped.
  @discardableResult
  mutating func read(_ file: URL, layout: ProjectLayout) -> Bool {
    guard let data = try? Data(contentsOf: file) else { return false }
    let source = ProjectLayout.relative(file, to: layout)
    var heads: [AuditHead] = []
    if file.pathExtension == "json" {
      guard let object = try? JSONSerialization.jsonObject(with: data) else { return false }
      heads = Self.heads(in: object)
      if let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: data) { checkpoints.append((source, checkpoint)) }
    } else {
      heads = AuditHead.parse(text: String(decoding: data, as: UTF8.self))
    }
    guard !heads.isEmpty else { return false }
    files += 1
    anchors += Set(heads).sorted { $0.sequence < $1.sequence }.map { AuditAnchor(head: $0, source: source) }
    return true
  }

  static func heads(in object: Any) -> [AuditHead] {
    if let dictionary = object as? [String: Any] {
      var heads: [AuditHead] = []
      if let head = dictionary["audit_head"] as? [String: Any], let sequence = (head["sequence"] as? NSNumber)?.int64Value,
         let hash = head["hash"] as? String {
        heads.append(AuditHead(sequence: sequence, hash: hash))
      }
      for (key, value) in dictionary where key != "audit_head" { heads += Self.heads(in: value) }
      return heads
    }
    if let array = object as? [Any] { return array.flatMap { Self.heads(in: $0) } }
    return []
  }
}
