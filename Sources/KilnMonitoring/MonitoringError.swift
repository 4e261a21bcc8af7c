import KilnOutput
import KilnConfiguration
import KilnTraining
import KilnEvaluation
/// A problem with monitoring input (a current batch, a model, a dataset), with what to do about it.
public struct MonitoringError: KilnError, Sendable, Equatable {
  public var message: String
  public var hint: String?

  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }
}
