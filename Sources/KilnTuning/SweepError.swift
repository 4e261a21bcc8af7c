import KilnOutput
import KilnConfiguration
import KilnTraining
/// A sweep that cannot start, resume or be shown, with what to do about it.
public struct SweepError: KilnError, Sendable, Equatable {
  public let message: String
  public let hint: String?

  public init(_ message: String, hint: String) {
    self.message = message
    self.hint = hint
  }
}
