import Foundation
import KilnSweep
import KilnConfiguration
import KilnTraining

/// One trial handed to a worker: its number and the values chosen for the sweep's keys.
public struct TrialAssignment: Sendable, Equatable {
  public let sweepRunID: String
  public let number: Int
  /// The chosen values by dotted configuration key.
  public let parameters: [String: ParameterValue]

  public init(sweepRunID: String, number: Int, parameters: [String: ParameterValue]) {
    self.sweepRunID = sweepRunID
    self.number = number
    self.parameters = parameters
  }

  /// The values as `--set KEY=VALUE` overrides, in key order.
  public var overrides: [String] { SweepSpace.overrides(parameters) }
}

/// Where a running trial sends its intermediate values, and learns whether to stop.
public protocol TrialReporter: AnyObject {
  /// Records the objectives' values at `step` (an epoch; one value per objective of the sweep)
  /// and returns whether the sweep's pruner says the trial should stop there.
  func report(_ values: [Double], step: Int) throws -> Bool
  /// Records that `runID` (a tracked run the objective started) holds this trial.
  func linkRun(_ runID: String) throws
}

extension TrialReporter {
  /// Records a single-objective sweep's value at `step`.
  public func report(_ value: Double, step: Int) throws -> Bool {
    try report([value], step: step)
  }
}

/// What a sweep evaluates: one trial in, one value per objective of the sweep out. Throw
/// `TrialPruned` to stop a trial the reporter says to prune; any other error fails the trial and
/// the sweep goes on.
public protocol SweepObjective: AnyObject {
  func evaluate(_ assignment: TrialAssignment, reporter: any TrialReporter) throws -> [Double]
}

/// A `SweepObjective` from a closure (for library use and tests).
public final class ClosureObjective: SweepObjective {
  private let body: (TrialAssignment, any TrialReporter) throws -> [Double]

  /// A single-objective sweep's objective.
  public convenience init(_ body: @escaping (TrialAssignment, any TrialReporter) throws -> Double) {
    self.init(values: { [try body($0, $1)] })
  }

  /// A multi-objective sweep's objective: one value per objective.
  public init(values body: @escaping (TrialAssignment, any TrialReporter) throws -> [Double]) {
    self.body = body
  }

  public func evaluate(_ assignment: TrialAssignment, reporter: any TrialReporter) throws -> [Double] {
    try body(assignment, reporter)
  }
}
