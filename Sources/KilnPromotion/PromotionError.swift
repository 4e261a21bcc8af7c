import KilnOutput
import KilnConfiguration
import KilnTraining
import KilnEvaluation
/// A promotion that may not happen, or whose evidence is missing: what, and what to do.
public struct PromotionError: KilnError, Sendable, Equatable {
  public enum Code: String, Sendable {
    /// A blocking gate failed and no override was given.
    case gatesFailed
    /// A stage promotion cannot move a model to (only staging and production).
    case invalidStage
    /// The experiment wrote no gates.
    case noGates
    /// Production needs an approver the governance policy lists.
    case approvalRequired
    /// `--force` without a `--reason`.
    case overrideNeedsReason
    /// The run lacks what a registered version must record (checkpoint, dataset lineage, configuration).
    case incompleteLineage
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
