import Foundation

/// One trial of a sweep as the tracking store keeps it (table `sweep_trial`).
///
/// The store knows nothing of samplers: the sweep layer keeps its parameters, distributions and
/// intermediate values in `payload` (JSON) and reads `state` as its own trial state. A trial is
/// handed to a worker when it is `ready` and has no lease owner; the lease (owner, host, process
/// id, heartbeat) lets a coordinator find trials whose worker died.
public struct SweepTrialRow: Codable, Equatable, Sendable {
  /// The sweep's run id.
  public var sweepRunID: String
  /// The trial's number in its sweep, from 0.
  public var number: Int
  /// The tracked run that holds this trial's metrics (a child of the sweep run), once there is one.
  public var runID: String?
  /// The sweep layer's trial state (`running`, `complete`, `pruned`, `failed`).
  public var state: String
  public var value: Double?
  public var error: String?
  /// The sweep layer's JSON for everything else about the trial.
  public var payload: String
  /// Whether the trial's parameters are all chosen, so a worker may claim it.
  public var ready: Bool
  public var leaseOwner: String?
  public var leaseHost: String?
  public var leaseProcessID: Int32?
  public var heartbeatTime: Date?
  public var startTime: Date
  public var endTime: Date?
  /// How many times the trial was put back after its worker died.
  public var restartCount: Int

  public init(sweepRunID: String, number: Int, runID: String? = nil, state: String, value: Double? = nil,
              error: String? = nil, payload: String, ready: Bool = false, leaseOwner: String? = nil,
              leaseHost: String? = nil, leaseProcessID: Int32? = nil, heartbeatTime: Date? = nil,
              startTime: Date, endTime: Date? = nil, restartCount: Int = 0) {
    self.sweepRunID = sweepRunID
    self.number = number
    self.runID = runID
    self.state = state
    self.value = value
    self.error = error
    self.payload = payload
    self.ready = ready
    self.leaseOwner = leaseOwner
    self.leaseHost = leaseHost
    self.leaseProcessID = leaseProcessID
    self.heartbeatTime = heartbeatTime
    self.startTime = startTime
    self.endTime = endTime
    self.restartCount = restartCount
  }
}
