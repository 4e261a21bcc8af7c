import KilnOutput
/// A model reference that does not parse or names no registered version: what, and what to do.
public struct ModelReferenceError: KilnError, Sendable, Equatable {
  public let message: String
  public let hint: String?

  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }
}
