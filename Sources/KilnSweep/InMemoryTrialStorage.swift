import KilnOutput
import Foundation

/// A `TrialStorage` in process memory, guarded by a lock.
public final class InMemoryTrialStorage: TrialStorage, @unchecked Sendable {
  private let lock = NSLock()
  private var records: [TrialRecord] = []

  public init() {}

  public func createTrial(leaseOwner: String?, at date: Date) throws -> Int {
    lock.withLock {
      let number = records.count
      records.append(TrialRecord(number: number, leaseOwner: leaseOwner, heartbeat: date, startedAt: date))
      return number
    }
  }

  public func restartTrial(_ number: Int, leaseOwner: String?, at date: Date) throws {
    try lock.withLock {
      guard records.indices.contains(number) else { throw TrialStorageError.noSuchTrial(number) }
      records[number] = TrialRecord(number: number, leaseOwner: leaseOwner, heartbeat: date, startedAt: date)
    }
  }

  public func trial(_ number: Int) throws -> TrialRecord {
    try lock.withLock {
      guard records.indices.contains(number) else { throw TrialStorageError.noSuchTrial(number) }
      return records[number]
    }
  }

  public func allTrials() throws -> [TrialRecord] {
    lock.withLock { records }
  }

  public func setParameter(_ name: String, value: ParameterValue, distribution: ParameterDistribution,
                           trial number: Int) throws {
    try update(number) { record in
      if record.parameters[name] == nil { record.parameterOrder.append(name) }
      record.parameters[name] = value
      record.distributions[name] = distribution
    }
  }

  public func setIntermediateValues(_ values: [Double], step: Int, trial number: Int) throws {
    try update(number) { record in record.recordIntermediate(values, step: step) }
  }

  public func finishTrial(_ number: Int, state: TrialState, values: [Double]?, error: String?,
                          at date: Date) throws {
    try update(number) { record in
      record.state = state
      record.values = values
      record.error = error
      record.finishedAt = date
    }
  }

  public func recordHeartbeat(trial number: Int, owner: String, at date: Date) throws {
    try update(number) { record in
      record.leaseOwner = owner
      record.heartbeat = date
    }
  }

  private func update(_ number: Int, _ change: (inout TrialRecord) -> Void) throws {
    try lock.withLock {
      guard records.indices.contains(number) else { throw TrialStorageError.noSuchTrial(number) }
      guard !records[number].state.isFinished else { throw TrialStorageError.trialFinished(number) }
      change(&records[number])
    }
  }
}

/// A failed storage operation, with what to do about it.
public struct TrialStorageError: KilnError, Sendable, Equatable {
  public let message: String
  public let hint: String?

  public init(_ message: String, hint: String) {
    self.message = message
    self.hint = hint
  }

  public static func noSuchTrial(_ number: Int) -> TrialStorageError {
    TrialStorageError("trial \(number) does not exist in this study's storage",
                      hint: "use a trial number returned by createTrial")
  }

  public static func trialFinished(_ number: Int) -> TrialStorageError {
    TrialStorageError("trial \(number) has already finished and cannot change",
                      hint: "restart the trial before writing to it again")
  }
}
