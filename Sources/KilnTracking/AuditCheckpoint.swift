import KilnCrypto
import Foundation

/// The audit log's head signed with an Ed25519 key kept outside the store: `kiln audit checkpoint`.
///
/// Anyone who can write the store can rewrite the log and recompute its chain, and can rewrite
/// the heads in unsigned reports alike; a checkpoint's head they cannot change without the key.
/// The signature covers the UTF-8 bytes of `message`:
/// ```
/// kiln audit checkpoint v1
/// sequence: 42
/// hash: 3f…
/// signed_at: 2026-12-02T11:00:00Z
/// ```
public struct AuditCheckpoint: Codable, Equatable, Sendable {
  public var auditHead: AuditHead
  /// When it was signed, ISO 8601 UTC, as signed.
  public var signedAt: String
  /// The signer's public key, base64 SubjectPublicKeyInfo (informative: verification uses the key the verifier trusts).
  public var publicKey: String
  /// The Ed25519 signature of `message`, base64.
  public var signature: String

  enum CodingKeys: String, CodingKey {
    case signature
    case auditHead = "audit_head"
    case signedAt = "signed_at"
    case publicKey = "public_key"
  }

  /// The text the signature covers.
  public var message: Data {
    Data("kiln audit checkpoint v1\nsequence: \(auditHead.sequence)\nhash: \(auditHead.hash)\nsigned_at: \(signedAt)\n".utf8)
  }

  /// Signs `head` at `time` with `key`.
  public static func signing(_ head: AuditHead, at time: Date, with key: Ed25519.PrivateKey) throws -> AuditCheckpoint {
    let formatter = ISO8601DateFormatter()
    var checkpoint = AuditCheckpoint(auditHead: head, signedAt: formatter.string(from: time),
                                     publicKey: SigningKeys.publicKeyText(key.publicKey), signature: "")
    checkpoint.signature = Data(key.signature(for: checkpoint.message)).base64EncodedString()
    return checkpoint
  }

  /// Whether `signature` is `key`'s signature of `message`.
  public func isSigned(by key: Ed25519.PublicKey) -> Bool {
    guard let bytes = Data(base64Encoded: signature) else { return false }
    return key.isValidSignature(bytes, for: message)
  }

  /// Pretty JSON with sorted keys.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Strings and integers always encode.
    return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
  }
}
