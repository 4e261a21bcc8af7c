import Foundation
import KilnSweep
import KilnTracking
import KilnConfiguration
import KilnTraining

/// Samples and looks after a sweep's trials in the shared store; workers run them.
///
/// Each `step()` (1) takes back running trials whose worker died — its process is gone from this
/// host, or its heartbeat is older than the plan's lease timeout — restarting them under the same
/// number (so they are sampled again with the same suggestions) or, after `maximumRestarts`,
/// marking them failed; then (2) samples every trial whose history is complete: trial n waits for
/// trials 0 … ⌊n/B⌋·B − 1 (B the batch size) and is made ready for workers with all its values
/// chosen. Because sampling depends only on the seed, the trial number and that fixed history,
/// the set of trials and their results does not depend on how many workers run them, and a
/// coordinator started on the same sweep after a crash (`--resume`) continues where it stopped:
/// finished trials are never repeated.
public final class SweepCoordinator: @unchecked Sendable {
  public let storage: TrackedTrialStorage
  public let plan: SweepPlan
  public let study: Study
  public let space: SweepSpace
  public let owner: String
  /// Called from `step()` once for each trial seen finished (for progress lines).
  public var onTrialFinished: ((TrialRecord) -> Void)?
  private let target: Int
  private var announced: Set<Int> = []

  public init(storage: TrackedTrialStorage, plan: SweepPlan, owner: String = SweepWorker.uniqueOwner("coordinator")) throws {
    self.storage = storage
    self.plan = plan
    self.study = try plan.makeStudy(storage: storage, name: storage.sweepRunID)
    self.space = try plan.searchSpace()
    self.owner = owner
    self.target = try plan.trialTarget()
  }

  /// Whether every trial of the plan has finished.
  public func isComplete() throws -> Bool {
    let rows = try storage.rows()
    return rows.count >= target && rows.prefix(target).allSatisfy { $0.state != TrialState.running.rawValue }
  }

  /// Reaps dead leases and samples what can be sampled. Returns whether the sweep is complete.
  @discardableResult
  public func step(at now: Date = Date()) throws -> Bool {
    try reapDeadLeases(at: now)
    try sampleReadyTrials()
    if let onTrialFinished {
      for trial in try storage.allTrials() where trial.state.isFinished && !announced.contains(trial.number) {
        announced.insert(trial.number)
        onTrialFinished(trial)
      }
    }
    return try isComplete()
  }

  /// Restarts (or, past the restart limit, fails) running trials whose worker died, and trials
  /// left half-sampled by a coordinator that died. Returns their numbers.
  @discardableResult
  public func reapDeadLeases(at now: Date = Date()) throws -> [Int] {
    var reaped: [Int] = []
    for row in try storage.rows() where row.state == TrialState.running.rawValue {
      guard let reason = deathReason(of: row, at: now) else { continue }
      if row.restartCount >= plan.maximumRestarts {
        try storage.finishTrial(row.number, state: .failed, values: nil,
                                error: "its worker died \(row.restartCount + 1) times (last: \(reason))", at: now)
      } else {
        try prepare(try study.askAgain(number: row.number, leaseOwner: owner))
      }
      reaped.append(row.number)
    }
    return reaped
  }

  /// Why a running trial's worker is considered dead, or `nil` while its lease holds.
  func deathReason(of row: SweepTrialRow, at now: Date) -> String? {
    if !row.ready {
      // Being sampled: by this coordinator (alive), or by one that died mid-sampling.
      return row.leaseOwner == owner ? nil : "its coordinator stopped while sampling it"
    }
    guard let leaseOwner = row.leaseOwner else { return nil }  // ready, waiting for a worker
    if row.leaseHost == ProcessInfo.processInfo.hostName, let pid = row.leaseProcessID, !Self.processExists(pid) {
      return "process \(pid) of \(leaseOwner) is gone"
    }
    // Leases held by this process (its worker threads renew them; MPI ranks' failures surface
    // as MPI errors) are not judged by heartbeat.
    let heldHere = row.leaseHost == ProcessInfo.processInfo.hostName && row.leaseProcessID == getpid()
    if !heldHere, let heartbeat = row.heartbeatTime, now.timeIntervalSince(heartbeat) > plan.leaseTimeout {
      return "no heartbeat from \(leaseOwner) for \(Int(now.timeIntervalSince(heartbeat))) s"
    }
    return nil
  }

  /// Samples trials in number order while their history is complete, up to the plan's target.
  func sampleReadyTrials() throws {
    var rows = try storage.rows()
    while rows.count < target {
      let number = rows.count
      let boundary = (number / plan.batchSize) * plan.batchSize
      guard rows.prefix(boundary).allSatisfy({ $0.state != TrialState.running.rawValue }) else { return }
      let trial = try study.ask(leaseOwner: owner)
      precondition(trial.number == number, "sampleReadyTrials: expected trial \(number), the store gave \(trial.number)")
      try prepare(trial)
      rows = try storage.rows()
    }
  }

  /// Chooses every value of `trial` and makes it claimable; a trial whose values did not all
  /// reach the store is not handed out.
  func prepare(_ trial: Trial) throws {
    let values = space.suggest(trial)
    let stored = try storage.trial(trial.number).parameters
    guard stored.count == values.count else {
      throw SweepError("trial \(trial.number) was sampled but only \(stored.count) of its \(values.count) values were stored",
                       hint: "check that the tracking store is writable, then run `kiln sweep --resume \(storage.sweepRunID)`")
    }
    try storage.markReady(trial.number)
  }

  static func processExists(_ processID: Int32) -> Bool {
    if processID == getpid() { return true }
    return kill(processID, 0) == 0 || errno == EPERM
  }
}
