import KilnMetricDirection
/// A rule that stops unpromising trials early from their intermediate values.
///
/// A pruner is a pure function of the trial and the other trials it is shown (the study shows it
/// the trials its sampler conditions on under `Study.Synchronization.batches`, and every other
/// trial in storage otherwise), so its decisions are reproducible from the same records.
public protocol Pruner: Sendable {
  /// Whether `trial`, at its latest reported step, should stop. `others` excludes `trial`.
  func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], direction: MetricDirection) -> Bool
  /// The same for a study of `directions.count` objectives; by default, defined for one.
  func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], directions: [MetricDirection]) -> Bool
  /// Whether the pruner judges trials of several objectives (by `intermediateObjectives`).
  var handlesMultipleObjectives: Bool { get }
}

extension Pruner {
  public func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], directions: [MetricDirection]) -> Bool {
    precondition(directions.count == 1, "\(type(of: self)) prunes by one objective, not \(directions.count)")
    return shouldPrune(trial, others: others, direction: directions[0])
  }

  public var handlesMultipleObjectives: Bool { false }
}

/// Never prunes.
public struct NoPruner: Pruner {
  public init() {}

  public func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], direction: MetricDirection) -> Bool {
    false
  }

  public func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], directions: [MetricDirection]) -> Bool {
    false
  }

  public var handlesMultipleObjectives: Bool { true }
}

/// Thrown by an objective to stop a trial that `Trial.shouldPrune` says is unpromising; the study
/// records the trial as pruned, with its last reported value.
public struct TrialPruned: Error, Sendable, CustomStringConvertible {
  public init() {}

  public var description: String { "the trial was pruned" }
}
