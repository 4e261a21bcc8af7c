import KilnMetricDirection
import Foundation
import KilnSweep
import KilnConfiguration
import KilnTraining

/// Runs the ready trials of a sweep, one at a time, from the shared store: claims the next one
/// under a lease, renews the lease while the objective runs, asks the pruner at each report and
/// records the outcome. Many workers (threads or processes) may share one store.
public final class SweepWorker: @unchecked Sendable {
  public let storage: TrackedTrialStorage
  public let plan: SweepPlan
  /// This worker's lease owner name (host, process and a random part).
  public let owner: String
  private let pruner: any Pruner

  public init(storage: TrackedTrialStorage, plan: SweepPlan, owner: String = SweepWorker.uniqueOwner("worker")) {
    self.storage = storage
    self.plan = plan
    self.owner = owner
    self.pruner = plan.makePruner()
  }

  /// A lease owner name unique to this process and call.
  public static func uniqueOwner(_ role: String) -> String {
    "\(role)@\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
  }

  /// Runs one ready trial, if there is one. Returns whether it ran one.
  /// - Throws: only when the store fails; the objective's errors fail the trial.
  @discardableResult
  public func runNextTrial(_ objective: any SweepObjective) throws -> Bool {
    guard let record = try storage.claimTrial(owner: owner) else { return false }
    let boundary = (record.number / plan.batchSize) * plan.batchSize
    // The trials a pruner compares with are the trial's sampling history: all finished.
    let peers = try storage.allTrials().filter { $0.number < boundary }
    let reporter = StorageTrialReporter(storage: storage, record: record, peers: peers, pruner: pruner,
                                        directions: plan.directions)
    let heartbeat = startHeartbeat(trial: record.number)
    let assignment = TrialAssignment(sweepRunID: storage.sweepRunID, number: record.number, parameters: record.parameters)
    let result = Result { try objective.evaluate(assignment, reporter: reporter) }
    heartbeat.cancel()
    let (state, values, error) = Study.outcome(of: result, objectiveCount: plan.objectives.count,
                                               lastReported: reporter.record.lastReportedValues)
    // A trial taken from this worker (its lease expired) was restarted: its result is dropped.
    guard try storage.trial(record.number).leaseOwner == owner else { return true }
    try storage.finishTrial(record.number, state: state, values: values, error: error, at: Date())
    return true
  }

  /// Runs ready trials until `shouldStop` says so while none is ready, waiting `pollInterval`
  /// seconds between looks at the store.
  public func run(_ objective: any SweepObjective, pollInterval: TimeInterval = 0.05,
                  shouldStop: () throws -> Bool) throws {
    while true {
      if try runNextTrial(objective) { continue }
      if try shouldStop() { return }
      Thread.sleep(forTimeInterval: pollInterval)
    }
  }

  private func startHeartbeat(trial number: Int) -> DispatchSourceTimer {
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
    timer.schedule(deadline: .now() + plan.heartbeatInterval, repeating: plan.heartbeatInterval)
    let storage = self.storage, owner = self.owner
    // A missed heartbeat is repeated by the next one; a finished trial refuses it harmlessly.
    timer.setEventHandler { try? storage.recordHeartbeat(trial: number, owner: owner, at: Date()) }
    timer.resume()
    return timer
  }
}

/// Reports to the shared store and asks the sweep's pruner, comparing with the trial's history.
final class StorageTrialReporter: TrialReporter {
  let storage: TrackedTrialStorage
  private(set) var record: TrialRecord
  private let peers: [TrialRecord]
  private let pruner: any Pruner
  private let directions: [MetricDirection]

  init(storage: TrackedTrialStorage, record: TrialRecord, peers: [TrialRecord], pruner: any Pruner, directions: [MetricDirection]) {
    self.storage = storage
    self.record = record
    self.peers = peers
    self.pruner = pruner
    self.directions = directions
  }

  func report(_ values: [Double], step: Int) throws -> Bool {
    precondition(step >= 0, "report: step \(step) of trial \(record.number) must not be negative")
    record.recordIntermediate(values, step: step)
    try storage.setIntermediateValues(values, step: step, trial: record.number)
    return pruner.shouldPrune(record, others: peers, directions: directions)
  }

  func linkRun(_ runID: String) throws {
    try storage.linkRun(runID, trial: record.number)
  }
}
