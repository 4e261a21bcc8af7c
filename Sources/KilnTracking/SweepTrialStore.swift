import Foundation

/// The sweep trials of a store, shared by worker processes: each read-modify-write is one
/// transaction, so workers never lose each other's updates or claim the same trial.
public protocol SweepTrialStore: Sendable {
  /// Inserts a trial with the next free number of the sweep (0, 1, 2, …) and returns it.
  func insertSweepTrial(sweepRunID: String, state: String, payload: String, leaseOwner: String?, at time: Date) throws -> SweepTrialRow
  /// Changes one trial in one transaction and returns it as written.
  /// - Throws: `TrackingError` when the sweep has no trial `number`, or whatever `change` throws.
  @discardableResult
  func updateSweepTrial(sweepRunID: String, number: Int, _ change: @escaping (inout SweepTrialRow) throws -> Void) throws -> SweepTrialRow
  /// Leases the lowest-numbered ready, unleased trial in `runningState` to `owner`; nil when none is.
  func claimSweepTrial(sweepRunID: String, runningState: String, owner: String, host: String,
                       processID: Int32, at time: Date) throws -> SweepTrialRow?
  /// One trial, if it exists.
  func sweepTrial(sweepRunID: String, number: Int) throws -> SweepTrialRow?
  /// All trials of a sweep, by number.
  func sweepTrials(sweepRunID: String) throws -> [SweepTrialRow]
}
