import KilnOutput
import Foundation

/// A failure of the tracking store caused by the world: a missing run, a bad artifact name, a
/// filter that does not parse, a database that cannot be opened.
///
/// The message says what failed and where; the hint says what to do.
public struct TrackingError: KilnError, Equatable, Sendable {
  /// What kind of failure this is.
  public enum Code: String, Sendable {
    case unknownRun
    case unknownExperiment
    case invalidArtifactName
    /// An experiment, run or model name that breaks the naming rule.
    case invalidName
    case missingArtifactFile
    case invalidFilter
    case invalidSort
    case runNotRunning
    /// A write by a process whose run was resumed by another process since.
    case staleWriter
    case databaseUnavailable
    /// A write to a store opened read-only.
    case readOnlyStore
    case exportFailed
    case unknownModel
    case invalidTransition
    /// A signing key that cannot be read, is in the wrong place, or does not verify.
    case keyUnusable
    /// A report file named for verification is missing or records no audit chain head.
    case reportUnreadable
    /// The audit log does not verify, so nothing may vouch for it.
    case auditLogBroken
    /// A store to be filled whole (`kiln store migrate`) already holds something.
    case storeNotEmpty
  }

  public let code: Code
  public let message: String
  public let hint: String?

  public init(_ code: Code, _ message: String, hint: String? = nil) {
    self.code = code
    self.message = message
    self.hint = hint
  }

  static func unknownRun(_ id: String) -> TrackingError {
    TrackingError(.unknownRun, "no run with id '\(id)' in the tracking store",
                  hint: "list the runs with `kiln runs list`")
  }
}
