import KilnMetricDirection
import Foundation

/// Median stopping (Golovin et al., "Google Vizier", KDD 2017, §3.2.2): a trial stops at step t
/// if its best intermediate value so far is worse than the median of the values the complete
/// trials reported at step t.
///
/// The rule applies only once `startupTrials` trials are complete, from step `warmupSteps` on,
/// every `intervalSteps` steps after the warm-up, and when at least `minimumTrials` complete
/// trials reported a value at step t. A trial whose reported values are all NaN is pruned.
/// These are Optuna's `MedianPruner` semantics and defaults.
public struct MedianPruner: Pruner {
  public let startupTrials: Int
  public let warmupSteps: Int
  public let intervalSteps: Int
  public let minimumTrials: Int

  public init(startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minimumTrials: Int = 1) {
    precondition(startupTrials >= 0, "MedianPruner: startupTrials \(startupTrials) must not be negative")
    precondition(warmupSteps >= 0, "MedianPruner: warmupSteps \(warmupSteps) must not be negative")
    precondition(intervalSteps >= 1, "MedianPruner: intervalSteps \(intervalSteps) must be at least 1")
    precondition(minimumTrials >= 1, "MedianPruner: minimumTrials \(minimumTrials) must be at least 1")
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
    self.intervalSteps = intervalSteps
    self.minimumTrials = minimumTrials
  }

  public func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], direction: MetricDirection) -> Bool {
    guard let step = trial.lastStep else { return false }
    let complete = others.filter { $0.state == .complete }
    guard complete.count >= startupTrials, step >= warmupSteps,
          (step - warmupSteps) % intervalSteps == 0 else { return false }
    let reported = trial.intermediateValues.values.filter { !$0.isNaN }
    guard !reported.isEmpty else { return true }
    let best = direction == .minimize ? reported.min()! : reported.max()!
    let peers = complete.compactMap { $0.intermediateValues[step] }.filter { !$0.isNaN }
    guard peers.count >= minimumTrials else { return false }
    return direction.isBetter(MedianPruner.median(peers), than: best)
  }

  /// The median, averaging the two middle values of an even count.
  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
