import Foundation

/// Everything stored about one trial: what a `TrialStorage` keeps and what samplers, pruners,
/// importance and plots read.
public struct TrialRecord: Codable, Sendable, Equatable {
  /// The trial's number in its study, from 0; samplers derive the trial's randomness from it.
  public var number: Int
  public var state: TrialState
  /// The suggested values, by parameter name.
  public var parameters: [String: ParameterValue]
  /// The distribution each parameter was drawn from, by parameter name.
  public var distributions: [String: ParameterDistribution]
  /// The parameter names in the order the objective first asked for them.
  public var parameterOrder: [String]
  /// Values reported with `Trial.report(_:step:)`, by step (for several objectives, the first's).
  public var intermediateValues: [Int: Double]
  /// Every objective's value reported at each step, for a study of several objectives
  /// (`Trial.report(values:step:)`); empty otherwise.
  public var intermediateObjectives: [Int: [Double]]
  /// The objective values of a complete trial (one per objective of the study), or the last
  /// reported value of a pruned one.
  public var values: [Double]?
  /// The error of a failed trial, as text.
  public var error: String?
  /// Who runs the trial (a worker identifier), for leases.
  public var leaseOwner: String?
  /// When the lease owner last showed it is alive.
  public var heartbeat: Date?
  public var startedAt: Date?
  public var finishedAt: Date?

  public init(number: Int, state: TrialState = .running, parameters: [String: ParameterValue] = [:],
              distributions: [String: ParameterDistribution] = [:], parameterOrder: [String] = [],
              intermediateValues: [Int: Double] = [:], intermediateObjectives: [Int: [Double]] = [:],
              values: [Double]? = nil, error: String? = nil,
              leaseOwner: String? = nil, heartbeat: Date? = nil, startedAt: Date? = nil,
              finishedAt: Date? = nil) {
    self.number = number
    self.state = state
    self.parameters = parameters
    self.distributions = distributions
    self.parameterOrder = parameterOrder
    self.intermediateValues = intermediateValues
    self.intermediateObjectives = intermediateObjectives
    self.values = values
    self.error = error
    self.leaseOwner = leaseOwner
    self.heartbeat = heartbeat
    self.startedAt = startedAt
    self.finishedAt = finishedAt
  }

  /// The first (for a single-objective study, the only) objective value.
  public var value: Double? { values?.first }

  /// The largest step with a reported value, if any.
  public var lastStep: Int? { intermediateValues.keys.max() }

  /// The values reported at the last step: every objective's when reported, else the one value.
  public var lastReportedValues: [Double]? {
    guard let step = lastStep else { return nil }
    return intermediateObjectives[step] ?? intermediateValues[step].map { [$0] }
  }

  /// Records `values` (one per objective) reported at `step`.
  public mutating func recordIntermediate(_ values: [Double], step: Int) {
    guard let first = values.first else { return }
    intermediateValues[step] = first
    if values.count > 1 { intermediateObjectives[step] = values }
  }

  /// Whether the trial counts for samplers: complete, or pruned (ranked after complete ones).
  public var informsSampling: Bool { state == .complete || state == .pruned }

  /// Whether the trial is running but its lease lapsed: no heartbeat (or start) within `timeout`
  /// seconds before `now`. A coordinator restarts such a trial (`Study.askAgain(number:)`) or marks
  /// it failed.
  public func leaseExpired(at now: Date, timeout: TimeInterval) -> Bool {
    guard state == .running, let lastSign = heartbeat ?? startedAt else { return state == .running }
    return now.timeIntervalSince(lastSign) > timeout
  }
}
