import Foundation

/// One evaluation of the objective, handed to it by `Study.optimize`: the objective asks it for
/// parameter values (define-by-run), reports intermediate values and asks whether to stop.
///
/// Asking twice for the same name returns the same value. Suggestions and reports are written
/// through to the study's storage; a storage failure is kept and rethrown by the study once the
/// objective returns, so the suggestion calls themselves do not throw.
public final class Trial: @unchecked Sendable {
  /// The trial's number in its study.
  public let number: Int
  let study: Study
  let context: SamplingContext
  private let proposals: [String: (value: ParameterValue, distribution: ParameterDistribution)]
  private let lock = NSLock()
  private var record: TrialRecord
  private(set) var storageError: Error?

  init(number: Int, study: Study, context: SamplingContext) {
    self.number = number
    self.study = study
    self.context = context
    self.proposals = study.sampler.sampleRelative(context: context)
    self.record = TrialRecord(number: number)
  }

  /// The parameter values suggested so far, by name.
  public var parameters: [String: ParameterValue] { lock.withLock { record.parameters } }

  /// The intermediate values reported so far, by step.
  public var intermediateValues: [Int: Double] { lock.withLock { record.intermediateValues } }

  /// A float in `range`, uniform in the value (`.linear`) or its logarithm (`.logarithmic`),
  /// on the grid low, low + step, … when `step` is given.
  public func suggestFloat(_ name: String, in range: ClosedRange<Double>, scale: Scale = .linear,
                           step: Double? = nil) -> Double {
    let value = suggest(name, .float(low: range.lowerBound, high: range.upperBound, scale: scale, step: step))
    guard case .float(let number) = value else { preconditionFailure("suggestFloat(\(name)): got \(value)") }
    return number
  }

  /// An integer in `range` on the grid low, low + step, …, uniform in the value or (with step 1)
  /// in its logarithm.
  public func suggestInt(_ name: String, in range: ClosedRange<Int>, step: Int = 1, scale: Scale = .linear) -> Int {
    let value = suggest(name, .integer(low: range.lowerBound, high: range.upperBound, scale: scale, step: step))
    guard case .integer(let number) = value else { preconditionFailure("suggestInt(\(name)): got \(value)") }
    return number
  }

  /// One of `choices`.
  public func suggestCategorical<Choice: CategoricalChoice>(_ name: String, _ choices: [Choice]) -> Choice {
    let value = suggest(name, .categorical(choices.map(\.parameterValue)))
    guard let choice = Choice(parameterValue: value) else {
      preconditionFailure("suggestCategorical(\(name)): stored value \(value) is not a \(Choice.self)")
    }
    return choice
  }

  /// Records the objective's intermediate `value` at `step` (an epoch, a number of samples…).
  public func report(_ value: Double, step: Int) {
    report(values: [value], step: step)
  }

  /// Records every objective's intermediate value at `step`, for a study of several objectives
  /// (its pruner ranks trials by them).
  public func report(values: [Double], step: Int) {
    precondition(step >= 0, "report: step \(step) of trial \(number) must not be negative")
    precondition(!values.isEmpty, "report: trial \(number) reported no value")
    lock.withLock { record.recordIntermediate(values, step: step) }
    write { try study.storage.setIntermediateValues(values, step: step, trial: number) }
  }

  /// The record so far, as the study's pruner sees it.
  var snapshot: TrialRecord { lock.withLock { record } }

  /// Whether the study's pruner says this trial should stop at its latest reported step; the
  /// objective then throws `TrialPruned()`.
  public var shouldPrune: Bool {
    let snapshot = self.snapshot
    do {
      let peers = try study.pruningPeers(for: self)
      return study.pruner.shouldPrune(snapshot, others: peers, directions: study.directions)
    } catch {
      lock.withLock { if storageError == nil { storageError = error } }
      return false
    }
  }

  /// Marks the trial's lease as alive (for long objectives run by workers with leases).
  public func recordHeartbeat(owner: String) {
    write { try study.storage.recordHeartbeat(trial: number, owner: owner, at: Date()) }
  }

  private func suggest(_ name: String, _ distribution: ParameterDistribution) -> ParameterValue {
    distribution.validate(name: name)
    let (existing, existingDistribution, index) = lock.withLock {
      (record.parameters[name], record.distributions[name], record.parameterOrder.count)
    }
    if let existing, let existingDistribution {
      precondition(existingDistribution == distribution,
                   "suggest(\(name)): trial \(number) already drew it from \(existingDistribution), not \(distribution)")
      return existing
    }
    var value: ParameterValue
    if let proposal = proposals[name], proposal.distribution == distribution {
      value = proposal.value
    } else {
      value = study.sampler.sampleIndependent(name: name, distribution: distribution,
                                              parameterIndex: index, context: context)
    }
    value = distribution.coerced(value)
    lock.withLock {
      record.parameters[name] = value
      record.distributions[name] = distribution
      record.parameterOrder.append(name)
    }
    write { try study.storage.setParameter(name, value: value, distribution: distribution, trial: number) }
    return value
  }

  private func write(_ operation: () throws -> Void) {
    do {
      try operation()
    } catch {
      lock.withLock { if storageError == nil { storageError = error } }
    }
  }
}
