import Foundation
import KilnSweep
import KilnTracking
import KilnConfiguration
import KilnTraining

/// A `TrialStorage` in the project's tracking store (its `SweepTrialStore`), shared by worker
/// processes: every change of a trial is one transaction of the store.
///
/// Each trial is a child run of the sweep's run. With `createsTrialRuns` the storage starts that
/// run itself (named `<sweep>-trial-N`), tags it with the suggested parameters (`param.NAME`),
/// logs intermediate values as the metric `objectiveMetric` and ends it with the trial; without,
/// the objective makes its own run (a training run with `parentRunID`) and links it with
/// `linkRun(_:trial:)`. Either way the run carries `sweep.trial`, `sweep.state` and `sweep.value`
/// tags, and `kiln runs` shows trials as ordinary runs.
///
/// Leases: a worker claims a ready trial (`claimTrial`) under its owner name, host and process
/// id, and renews the heartbeat while it runs; `SweepCoordinator` restarts trials whose process
/// is gone or whose heartbeat is stale.
public final class TrackedTrialStorage: TrialStorage, @unchecked Sendable {
  public let tracker: Tracker
  public let store: any TrackingStore
  public let sweepRunID: String
  public let createsTrialRuns: Bool
  public let objectiveMetric: String
  private let sweepRun: RunRecord

  /// - Throws: `TrackingError` when the sweep run is unknown.
  public init(tracker: Tracker, sweepRunID: String, createsTrialRuns: Bool = true,
              objectiveMetric: String = "objective") throws {
    self.tracker = tracker
    self.store = tracker.store
    self.sweepRun = try tracker.run(id: sweepRunID)
    self.sweepRunID = sweepRun.id
    self.createsTrialRuns = createsTrialRuns
    self.objectiveMetric = objectiveMetric
  }

  // MARK: TrialStorage

  public func createTrial(leaseOwner: String?, at date: Date) throws -> Int {
    let row = try store.insertSweepTrial(sweepRunID: sweepRunID, state: TrialState.running.rawValue,
                                         payload: TrialPayload().json, leaseOwner: leaseOwner, at: date)
    try startTrialRun(row.number)
    return row.number
  }

  public func restartTrial(_ number: Int, leaseOwner: String?, at date: Date) throws {
    let old = try store.updateSweepTrial(sweepRunID: sweepRunID, number: number) { row in
      row.state = TrialState.running.rawValue
      row.value = nil
      row.error = nil
      row.payload = TrialPayload().json
      row.ready = false
      row.leaseOwner = leaseOwner
      row.leaseHost = nil
      row.leaseProcessID = nil
      row.heartbeatTime = date
      row.startTime = date
      row.endTime = nil
      row.restartCount += 1
    }
    if let runID = old.runID, createsTrialRuns {
      try? store.endRun(runID: runID, status: .killed, at: date, details: ["reason": .string("the trial was restarted")])
    }
    if createsTrialRuns {
      try startTrialRun(number)
    } else {
      try store.updateSweepTrial(sweepRunID: sweepRunID, number: number) { row in row.runID = nil }
    }
  }

  public func trial(_ number: Int) throws -> TrialRecord {
    guard let row = try store.sweepTrial(sweepRunID: sweepRunID, number: number) else {
      throw TrialStorageError.noSuchTrial(number)
    }
    return try Self.record(row)
  }

  public func allTrials() throws -> [TrialRecord] {
    try store.sweepTrials(sweepRunID: sweepRunID).map(Self.record)
  }

  public func setParameter(_ name: String, value: ParameterValue, distribution: ParameterDistribution,
                           trial number: Int) throws {
    let row = try updateRunning(number) { payload, _ in
      if payload.parameters[name] == nil { payload.parameterOrder.append(name) }
      payload.parameters[name] = value
      payload.distributions[name] = distribution
    }
    if createsTrialRuns, let runID = row.runID {
      try store.setTag(runID: runID, key: "param.\(name)", value: value.description)
    }
  }

  public func setIntermediateValues(_ values: [Double], step: Int, trial number: Int) throws {
    guard let value = values.first else { return }
    let row = try updateRunning(number) { payload, _ in
      payload.intermediateValues[String(step)] = value
      if values.count > 1 { payload.intermediateObjectives = (payload.intermediateObjectives ?? [:]).merging([String(step): values]) { $1 } }
    }
    if createsTrialRuns, let runID = row.runID {
      try store.appendMetrics([MetricPoint(key: objectiveMetric, step: Int64(step), value: value, timestamp: Date())],
                              runID: runID)
    }
  }

  public func finishTrial(_ number: Int, state: TrialState, values: [Double]?, error: String?, at date: Date) throws {
    let row = try updateRunning(number) { payload, row in
      row.state = state.rawValue
      row.value = values?.first
      payload.values = (values?.count ?? 0) > 1 ? values : nil
      row.error = error
      row.endTime = date
    }
    guard let runID = row.runID else { return }
    try store.setTag(runID: runID, key: "sweep.state", value: state.rawValue)
    if let value = values?.first { try store.setTag(runID: runID, key: "sweep.value", value: JSONValue.format(value)) }
    if let values, values.count > 1 {
      try store.setTag(runID: runID, key: "sweep.values", value: "[" + values.map(JSONValue.format).joined(separator: ",") + "]")
    }
    if let error { try store.setTag(runID: runID, key: "sweep.error", value: error) }
    if createsTrialRuns {
      var details: [String: JSONValue] = ["sweep_state": .string(state.rawValue)]
      if let error { details["error"] = .string(error) }
      try store.endRun(runID: runID, status: state == .failed ? .failed : .finished, at: date, details: details)
    }
  }

  public func recordHeartbeat(trial number: Int, owner: String, at date: Date) throws {
    _ = try updateRunning(number) { _, row in
      row.leaseOwner = owner
      row.heartbeatTime = date
    }
  }

  // MARK: Beyond the protocol

  /// The stored rows, with their leases.
  public func rows() throws -> [SweepTrialRow] {
    try store.sweepTrials(sweepRunID: sweepRunID)
  }

  /// Makes a trial whose parameters are all chosen claimable by workers, releasing its lease.
  public func markReady(_ number: Int) throws {
    _ = try updateRunning(number) { _, row in
      row.ready = true
      row.leaseOwner = nil
      row.leaseHost = nil
      row.leaseProcessID = nil
    }
  }

  /// Leases the lowest-numbered ready trial to `owner` (this process), if there is one.
  public func claimTrial(owner: String, at date: Date = Date()) throws -> TrialRecord? {
    try store.claimSweepTrial(sweepRunID: sweepRunID, runningState: TrialState.running.rawValue, owner: owner,
                              host: ProcessInfo.processInfo.hostName, processID: getpid(), at: date).map(Self.record)
  }

  /// Records that `runID` (a run the objective made, child of the sweep run) holds trial `number`.
  public func linkRun(_ runID: String, trial number: Int) throws {
    _ = try updateRunning(number) { _, row in row.runID = runID }
    try store.setTag(runID: runID, key: "sweep.trial", value: String(number))
  }

  private func startTrialRun(_ number: Int) throws {
    guard createsTrialRuns else { return }
    let run = try tracker.startRun(
      experiment: sweepRun.experiment, name: "\(sweepRun.name)-trial-\(number)", parent: sweepRunID,
      seed: sweepRun.seed, tags: ["sweep.trial": String(number)],
      options: RunLoggingOptions(heartbeatInterval: nil))
    _ = try updateRunning(number) { _, row in row.runID = run.id }
  }

  /// Changes a running trial's payload and row in one transaction.
  @discardableResult
  private func updateRunning(_ number: Int, _ change: @escaping (inout TrialPayload, inout SweepTrialRow) -> Void) throws -> SweepTrialRow {
    do {
      return try store.updateSweepTrial(sweepRunID: sweepRunID, number: number) { row in
        guard row.state == TrialState.running.rawValue else { throw TrialStorageError.trialFinished(number) }
        var payload = try TrialPayload(json: row.payload)
        change(&payload, &row)
        row.payload = payload.json
      }
    } catch let error as TrackingError where error.code == .unknownRun {
      throw TrialStorageError.noSuchTrial(number)
    }
  }

  static func record(_ row: SweepTrialRow) throws -> TrialRecord {
    let payload = try TrialPayload(json: row.payload)
    var intermediate: [Int: Double] = [:]
    for (step, value) in payload.intermediateValues { if let step = Int(step) { intermediate[step] = value } }
    var objectives: [Int: [Double]] = [:]
    for (step, values) in payload.intermediateObjectives ?? [:] { if let step = Int(step) { objectives[step] = values } }
    return TrialRecord(
      number: row.number, state: TrialState(rawValue: row.state) ?? .failed, parameters: payload.parameters,
      distributions: payload.distributions, parameterOrder: payload.parameterOrder, intermediateValues: intermediate,
      intermediateObjectives: objectives,
      values: payload.values ?? row.value.map { [$0] }, error: row.error, leaseOwner: row.leaseOwner, heartbeat: row.heartbeatTime,
      startedAt: row.startTime, finishedAt: row.endTime)
  }
}

/// The sweep layer's part of a stored trial (`SweepTrialRow.payload`).
struct TrialPayload: Codable {
  var parameters: [String: ParameterValue] = [:]
  var distributions: [String: ParameterDistribution] = [:]
  var parameterOrder: [String] = []
  /// By step, written as a string key for JSON.
  var intermediateValues: [String: Double] = [:]
  /// Every objective's value by step, for a multi-objective trial (absent in older payloads).
  var intermediateObjectives: [String: [Double]]? = nil
  /// All objective values of a multi-objective trial (the row's `value` holds the first).
  var values: [Double]? = nil

  init() {}

  init(json: String) throws {
    self = try JSONDecoder().decode(TrialPayload.self, from: Data(json.utf8))
  }

  var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try! encoder.encode(self), as: UTF8.self)
  }
}
