import Foundation

/// Where a study keeps its trials: in memory (`InMemoryTrialStorage`) or in a database shared by
/// worker processes (a SQLite storage over the tracker, in the workflows layer).
///
/// The protocol is shaped for a shared store: trial numbers are handed out by the store (so two
/// workers never get the same number), each write is a small update of one trial (one row or a
/// few rows in SQL), and a running trial carries a lease (owner and heartbeat time) so that a
/// trial whose worker died can be found and restarted under the same number.
/// Implementations must be safe to call from several threads.
public protocol TrialStorage: AnyObject, Sendable {
  /// Creates a running trial with the next free number (0, 1, 2, …) and returns that number.
  func createTrial(leaseOwner: String?, at date: Date) throws -> Int
  /// Puts a trial back to running with no parameters, values or error, under a new lease: a
  /// restarted trial is sampled again from its number, so it gets the same suggestions.
  func restartTrial(_ number: Int, leaseOwner: String?, at date: Date) throws
  /// One trial by number.
  func trial(_ number: Int) throws -> TrialRecord
  /// All trials, ordered by number.
  func allTrials() throws -> [TrialRecord]
  /// Records a suggested parameter value and its distribution.
  func setParameter(_ name: String, value: ParameterValue, distribution: ParameterDistribution,
                    trial number: Int) throws
  /// Records the objective values reported at a step (one per objective; replacing any at the
  /// same step).
  func setIntermediateValues(_ values: [Double], step: Int, trial number: Int) throws
  /// Ends a trial in `state` (complete, pruned or failed) with its objective values (one per
  /// objective; a pruned trial's last reported value) or its error.
  func finishTrial(_ number: Int, state: TrialState, values: [Double]?, error: String?, at date: Date) throws
  /// Renews the lease of a running trial.
  func recordHeartbeat(trial number: Int, owner: String, at date: Date) throws
}
