import KilnOutput
import KilnConfiguration
import KilnTraining
/// `kiln evaluate` could not evaluate a run: what failed, where, and what to do.
public struct EvaluationError: KilnError, Equatable, Sendable {
  public enum Kind: String, Sendable {
    case missingCheckpoint = "missing_checkpoint"
    case fingerprintMismatch = "fingerprint_mismatch"
    case unknownSensitiveAttribute = "unknown_sensitive_attribute"
    case missingSplit = "missing_split"
    case invalidConfiguration = "invalid_configuration"
  }

  public var kind: Kind
  public var message: String
  public var hint: String?

  public init(_ kind: Kind, _ message: String, hint: String?) {
    self.kind = kind
    self.message = message
    self.hint = hint
  }
}
