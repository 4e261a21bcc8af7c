import KilnMetricDirection
/// A rule that stops unpromising trials early from their intermediate values.
///
/// A pruner is a pure function of the trial and the other trials it is shown (the study shows it
/// the trials its sampler conditions on under `Study.Synchronization.batches`, and every other
/// trial in storage otherwise), so its decisions are reproducible from the same records.
public protocol Pruner: Sendable {
  /// Whether `trial`, at its latest reported step, should stop. `others` excludes `trial`.
  func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], direction: MetricDirection) -> Bool
}

/// Never prunes.
public struct NoPruner: Pruner {
  public init() {}

  public func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], direction: MetricDirection) -> Bool {
    false
  }
}

/// Thrown by an objective to stop a trial that `Trial.shouldPrune` says is unpromising; the study
/// records the trial as pruned, with its last reported value.
public struct TrialPruned: Error, Sendable, CustomStringConvertible {
  public init() {}

  public var description: String { "the trial was pruned" }
}
