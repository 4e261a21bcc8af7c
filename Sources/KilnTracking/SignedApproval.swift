import KilnCrypto
import Foundation

/// An approver's Ed25519 signature on one promotion: this model version, from this run, to this
/// stage, on the model card they reviewed, at this point of the audit log.
///
/// The signature covers `statement`, the canonical JSON of every field but the signature, so it
/// cannot be replayed onto another version, run, stage or card, or moved to another approver.
/// `kiln approve` writes one to a file; `kiln promote … --approval FILE` (or `--key FILE`, which
/// signs in place) checks it against the approver's key in `governance.yaml`; the `model.approved`
/// audit event carries it, and `kiln audit verify` checks it again.
public struct SignedApproval: Codable, Equatable, Sendable {
  public var model: String
  public var version: Int
  public var runID: String
  /// The stage approved: `production`.
  public var stage: String
  /// SHA-256 of the `model-card.json` the approver reviewed.
  public var modelCardSHA256: String
  /// The audit log's head when the approval was signed.
  public var auditHead: AuditHead
  public var approver: String
  /// Base64 Ed25519 signature of `statement`.
  public var signature: String

  public init(model: String, version: Int, runID: String, stage: String, modelCardSHA256: String, auditHead: AuditHead,
              approver: String, signature: String = "") {
    self.model = model
    self.version = version
    self.runID = runID
    self.stage = stage
    self.modelCardSHA256 = modelCardSHA256
    self.auditHead = auditHead
    self.approver = approver
    self.signature = signature
  }

  enum CodingKeys: String, CodingKey {
    case model, version, stage, approver, signature
    case runID = "run_id"
    case modelCardSHA256 = "model_card_sha256"
    case auditHead = "audit_head"
  }

  /// Every field but the signature, as JSON values (also the `model.approved` event's payload fields).
  public var fields: [String: JSONValue] {
    ["model": .string(model), "version": .number(Double(version)), "run_id": .string(runID), "stage": .string(stage),
     "model_card_sha256": .string(modelCardSHA256), "approver": .string(approver),
     "audit_head": .object(["sequence": .number(Double(auditHead.sequence)), "hash": .string(auditHead.hash)])]
  }

  /// The bytes signed: a version line, then the fields' canonical JSON (sorted keys, escaped
  /// strings), so no two different approvals share a statement.
  public var statement: Data { Data(("kiln approval v1\n" + JSONValue.object(fields).canonicalText).utf8) }

  /// Signs this approval with `key`.
  public func signed(with key: Ed25519.PrivateKey) throws -> SignedApproval {
    var signed = self
    signed.signature = Data(key.signature(for: statement)).base64EncodedString()
    return signed
  }

  /// Whether `signature` is `key`'s signature of `statement`.
  public func isSigned(by key: Ed25519.PublicKey) -> Bool {
    guard let bytes = Data(base64Encoded: signature) else { return false }
    return key.isValidSignature(bytes, for: statement)
  }

  /// The approval recorded in a `model.approved` event's payload, or nil when the event carries no signature.
  public init?(payload: JSONValue) {
    guard case .object(let object) = payload, case .string(let signature)? = object["signature"],
          case .string(let model)? = object["model"], case .number(let version)? = object["version"],
          case .string(let runID)? = object["run_id"], case .string(let stage)? = object["stage"],
          case .string(let card)? = object["model_card_sha256"], case .string(let approver)? = object["approver"],
          case .object(let head)? = object["audit_head"], case .number(let sequence)? = head["sequence"],
          case .string(let hash)? = head["hash"] else { return nil }
    self.init(model: model, version: Int(version), runID: runID, stage: stage, modelCardSHA256: card,
              auditHead: AuditHead(sequence: Int64(sequence), hash: hash), approver: approver, signature: signature)
  }

  /// Pretty JSON with sorted keys.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Strings and integers always encode.
    return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
  }
}
