/// The life cycle of a trial: running until its objective returns (complete), asks to stop
/// early (pruned) or throws (failed).
public enum TrialState: String, Codable, Hashable, Sendable, CaseIterable {
  case running
  case complete
  case pruned
  case failed

  /// Whether the trial has ended, in any way.
  public var isFinished: Bool { self != .running }
}
