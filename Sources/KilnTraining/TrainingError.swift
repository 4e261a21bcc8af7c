import KilnOutput
import KilnConfiguration
/// A training failure the user can act on: what failed, where, and what to do.
public struct TrainingError: KilnError, Sendable {
  public enum Code: String, Sendable {
    case configuration
    case dataset
    case diverged
    case checkpoint
    case resume
    case distributed
  }

  public let code: Code
  public let message: String
  public let hint: String?

  public init(_ code: Code, _ message: String, hint: String? = nil) {
    self.code = code
    self.message = message
    self.hint = hint
  }
}
