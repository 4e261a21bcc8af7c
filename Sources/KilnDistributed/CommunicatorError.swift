import KilnOutput
/// A failure of a collective or point-to-point operation, with MPI's own message when there is one.
public struct CommunicatorError: KilnError, Sendable {
  /// What kind of failure this is.
  public enum Code: String, Sendable {
    case initialization
    case operation
    case invalidRank
    case messageTooLarge
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
