import Foundation
import Testing
@testable import KilnSweep

@Suite struct InMemoryTrialStorageTests {
  @Test func trialsAreNumberedInOrderAndRecordWhatIsWritten() throws {
    let storage = InMemoryTrialStorage()
    let now = Date(timeIntervalSince1970: 1_000)
    #expect(try storage.createTrial(leaseOwner: "worker-1", at: now) == 0)
    #expect(try storage.createTrial(leaseOwner: "worker-2", at: now) == 1)
    let distribution = ParameterDistribution.integer(low: 1, high: 4, scale: .linear, step: 1)
    try storage.setParameter("layers", value: .integer(3), distribution: distribution, trial: 1)
    try storage.setIntermediateValues([0.5], step: 2, trial: 1)
    try storage.finishTrial(1, state: .complete, values: [0.25], error: nil, at: now)
    let record = try storage.trial(1)
    #expect(record.parameters == ["layers": .integer(3)])
    #expect(record.distributions["layers"] == distribution)
    #expect(record.intermediateValues == [2: 0.5])
    #expect(record.state == .complete && record.value == 0.25)
    #expect(record.leaseOwner == "worker-2")
    #expect(try storage.allTrials().map(\.number) == [0, 1])
  }

  @Test func finishedTrialsRefuseWritesUntilRestarted() throws {
    let storage = InMemoryTrialStorage()
    let number = try storage.createTrial(leaseOwner: nil, at: Date())
    try storage.finishTrial(number, state: .failed, values: nil, error: "boom", at: Date())
    #expect(throws: TrialStorageError.trialFinished(number)) {
      try storage.setIntermediateValues([1], step: 0, trial: number)
    }
    try storage.restartTrial(number, leaseOwner: "worker-3", at: Date())
    let record = try storage.trial(number)
    #expect(record.state == .running && record.error == nil && record.leaseOwner == "worker-3")
    #expect(throws: TrialStorageError.noSuchTrial(7)) { try storage.trial(7) }
  }

  @Test func heartbeatsRenewTheLease() throws {
    let storage = InMemoryTrialStorage()
    let number = try storage.createTrial(leaseOwner: "a", at: Date(timeIntervalSince1970: 0))
    try storage.recordHeartbeat(trial: number, owner: "a", at: Date(timeIntervalSince1970: 60))
    #expect(try storage.trial(number).heartbeat == Date(timeIntervalSince1970: 60))
  }

  @Test func leaseExpiresOnlyForRunningTrialsWithoutARecentHeartbeat() throws {
    let storage = InMemoryTrialStorage()
    let start = Date(timeIntervalSince1970: 0)
    let number = try storage.createTrial(leaseOwner: "a", at: start)
    let running = try storage.trial(number)
    #expect(!running.leaseExpired(at: start.addingTimeInterval(30), timeout: 60))
    #expect(running.leaseExpired(at: start.addingTimeInterval(61), timeout: 60))
    try storage.finishTrial(number, state: .complete, values: [1], error: nil, at: start)
    #expect(!(try storage.trial(number)).leaseExpired(at: start.addingTimeInterval(600), timeout: 60))
  }
}
