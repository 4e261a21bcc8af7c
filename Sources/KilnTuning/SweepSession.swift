import Foundation
import KilnSweep
import KilnTracking
import KilnConfiguration
import KilnTraining

/// An open sweep: its run in the project's tracker, its plan and its trial storage.
///
/// A sweep is a run (tag `kind: sweep`, its plan in the `sweep.plan` tag) whose trials are child
/// runs. `start` makes a new one; `open` finds one by id — to resume it, to run a worker
/// process on it, or to show it.
public struct SweepSession: @unchecked Sendable {
  public let layout: ProjectLayout
  public let tracker: Tracker
  public let sweepRunID: String
  public let plan: SweepPlan
  public let storage: TrackedTrialStorage

  /// Starts the sweep run of `plan` under `experiment`.
  public static func start(plan: SweepPlan, experiment: String, configuration: RunConfiguration = .empty,
                           layout: ProjectLayout, commandLine: [String] = []) throws -> SweepSession {
    let tracker = try Tracker(layout: layout)
    let run = try tracker.startRun(
      experiment: experiment, name: "\(experiment)-sweep-\(Int(Date().timeIntervalSince1970))",
      configuration: configuration, seed: plan.seed, commandLine: commandLine,
      sourceVersion: SourceVersion.detect(in: layout.root),
      tags: ["kind": "sweep", "sweep.plan": plan.json, "sweep.objective": plan.objectiveMetric],
      options: RunLoggingOptions(heartbeatInterval: nil))
    return try SweepSession(layout: layout, tracker: tracker, sweepRunID: run.id, plan: plan)
  }

  /// The sweep with run id (or unique prefix) `sweepRunID`; `trials`, when given, replaces the
  /// planned trial count (to extend a sweep on resume) and is stored.
  /// - Throws: `SweepError` when the run is not a sweep; `TrackingError` when it is unknown.
  public static func open(sweepRunID: String, layout: ProjectLayout, trials: Int? = nil) throws -> SweepSession {
    let tracker = try Tracker(layout: layout, mustExist: true)
    let run = try tracker.run(id: sweepRunID)
    guard let planText = try tracker.store.tags(runID: run.id)["sweep.plan"] else {
      throw SweepError("run \(run.id) is not a sweep (it has no sweep.plan tag)",
                       hint: "`kiln runs list --where \"tags.kind = 'sweep'\"` lists sweeps")
    }
    var plan = try SweepPlan(json: planText)
    if let trials, trials != plan.trials {
      plan.trials = trials
      try tracker.store.setTag(runID: run.id, key: "sweep.plan", value: plan.json)
    }
    return try SweepSession(layout: layout, tracker: tracker, sweepRunID: run.id, plan: plan)
  }

  init(layout: ProjectLayout, tracker: Tracker, sweepRunID: String, plan: SweepPlan) throws {
    self.layout = layout
    self.tracker = tracker
    self.sweepRunID = sweepRunID
    self.plan = plan
    self.storage = try TrackedTrialStorage(tracker: tracker, sweepRunID: sweepRunID,
                                          createsTrialRuns: plan.createsTrialRuns, objectiveMetric: plan.objectiveMetric)
  }

  /// A coordinator for this sweep (one per sweep at a time).
  public func coordinator() throws -> SweepCoordinator {
    try SweepCoordinator(storage: storage, plan: plan)
  }

  /// Runs trials as a worker process until the sweep is complete or the coordinator with
  /// process id `coordinatorProcessID` (on this host) is gone.
  public func runWorker(_ objective: any SweepObjective, coordinatorProcessID: Int32?,
                        pollInterval: TimeInterval = 0.05) throws {
    let worker = SweepWorker(storage: storage, plan: plan)
    let target = try plan.trialTarget()
    try worker.run(objective, pollInterval: pollInterval) {
      if let pid = coordinatorProcessID, !SweepCoordinator.processExists(pid) { return true }
      let rows = try storage.rows()
      return rows.count >= target && rows.prefix(target).allSatisfy { $0.state != TrialState.running.rawValue }
    }
  }

  /// Ends the sweep run once all trials have finished, tagging it with the best trial and
  /// recording its resource use (`ResourceUsage.total`).
  public func finish() throws {
    try recordResourceUsage()
    let study = try plan.makeStudy(storage: storage, name: sweepRunID)
    if let best = try study.bestTrial() {
      try tracker.store.setTag(runID: sweepRunID, key: "sweep.best_trial", value: String(best.number))
      try tracker.store.setTag(runID: sweepRunID, key: "sweep.best_value", value: JSONValue.format(best.value!))
      try tracker.store.appendMetrics([MetricPoint(key: "sweep.best_value", step: Int64(best.number),
                                                   value: best.value!, timestamp: Date())], runID: sweepRunID)
    }
    try tracker.store.endRun(runID: sweepRunID, status: .finished, at: Date(), details: [:])
  }

  /// The sweep's totals over its trial runs that recorded their usage, with the sweep run's wall
  /// time from its start (a resumed sweep's includes the pause).
  func recordResourceUsage() throws {
    let runIDs = try storage.rows().compactMap(\.runID)
    let latest = try tracker.store.latestMetrics(runIDs: runIDs, keys: ResourceUsage.Key.allCases.map(\.rawValue))
    let trials = runIDs.compactMap { latest[$0].flatMap(ResourceUsage.init(metrics:)) }
    let now = Date()
    let total = ResourceUsage.total(of: trials, wallSeconds: now.timeIntervalSince(try tracker.run(id: sweepRunID).startTime))
    try tracker.store.appendMetrics(total.metrics.map { MetricPoint(key: $0.key, step: 0, value: $0.value, timestamp: now) },
                                    runID: sweepRunID)
  }
}
