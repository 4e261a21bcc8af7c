import Foundation
import KilnMetrics
import KilnTracking

/// `promotion.json`: what was decided for one model version, on which evidence, by whom.
public struct PromotionRecord: Codable, Equatable, Sendable {
  public var model: String
  public var version: Int
  public var runID: String
  /// The gates' verdict.
  public var decision: GateDecision.Verdict
  /// True when a failing gate was overridden with `--force`.
  public var forced: Bool
  public var overrideReason: String?
  public var approver: String?
  /// The stage the version reached (`none` when it was not promoted).
  public var stage: String
  /// The champion version the champion gates compared with, if any.
  public var championVersion: Int?
  public var gates: [GateResult]
  public var lineage: ModelCardInput.Lineage
  /// Where the candidate's metrics came from, e.g. `evaluation.json` or `tracked final metrics`.
  public var evidence: String
  public var generatedTime: Date
  /// The audit log's head when the record was written (nil without a store).
  public var auditHead: AuditHead?
  /// The approver's signature on this promotion, when the approval was signed.
  public var signedApproval: SignedApproval?

  public init(model: String, version: Int, runID: String, decision: GateDecision.Verdict, forced: Bool, overrideReason: String?,
              approver: String?, stage: String, championVersion: Int?, gates: [GateResult], lineage: ModelCardInput.Lineage,
              evidence: String, generatedTime: Date, auditHead: AuditHead? = nil, signedApproval: SignedApproval? = nil) {
    self.model = model
    self.version = version
    self.runID = runID
    self.decision = decision
    self.forced = forced
    self.overrideReason = overrideReason
    self.approver = approver
    self.stage = stage
    self.championVersion = championVersion
    self.gates = gates
    self.lineage = lineage
    self.evidence = evidence
    self.generatedTime = generatedTime
    self.auditHead = auditHead
    self.signedApproval = signedApproval
  }

  enum CodingKeys: String, CodingKey {
    case model, version, decision, forced, approver, stage, gates, lineage, evidence
    case runID = "run_id"
    case overrideReason = "override_reason"
    case championVersion = "champion_version"
    case generatedTime = "generated_at"
    case auditHead = "audit_head"
    case signedApproval = "signed_approval"
  }

  /// Pretty JSON with sorted keys and ISO 8601 dates.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
  }
}
