import Foundation
import Testing
@testable import KilnTracking

/// Runs `body(0)…body(count − 1)` on threads of their own at once and returns what they threw.
private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
  let group = DispatchGroup()
  let lock = NSLock()
  nonisolated(unsafe) var failures: [String] = []
  for index in 0..<count {
    group.enter()
    Thread {
      defer { group.leave() }
      do { try body(index) } catch {
        lock.withLock { failures.append("thread \(index): \(error)") }
      }
    }.start()
  }
  group.wait()
  return failures
}

extension StoreContractTests {
  /// Several writers on one store at once, each through a store of its own (its own connection,
  /// as separate processes and hosts have).
  @Suite struct Concurrency {
    @Test(arguments: StoreFactory.all) func concurrentWritersLoseNoPointAndKeepOneAuditChain(_ kind: StoreFactory) throws {
      let directory = try temporaryStoreDirectory()
      let tracker = try kind.tracker(in: directory)
      let writers = 6, batches = 15, pointsPerBatch = 40
      let runIDs = try (0..<writers).map { _ in try tracker.startRun(experiment: "load").id }
      let failures = onThreads(writers) { writer in
        let store = try kind.open(directory)
        for batch in 0..<batches {
          let points = (0..<pointsPerBatch).map { index in
            MetricPoint(key: "loss", step: Int64(batch * pointsPerBatch + index), value: Double(index), timestamp: Date())
          }
          try store.appendMetrics(points, runID: runIDs[writer])
          try store.appendAuditEvent(kind: "load.batch", runID: runIDs[writer], payload: .object(["batch": .number(Double(batch))]),
                                     at: Date())
        }
      }
      #expect(failures.isEmpty, "\(failures)")
      for runID in runIDs {
        #expect(try tracker.store.metricPointCount(runID: runID) == batches * pointsPerBatch)
        let latest = try #require(try tracker.store.latestMetrics(runID: runID)["loss"])
        #expect(latest.step == Int64(batches * pointsPerBatch - 1))
      }
      let verification = try tracker.verifyAuditLog()
      #expect(verification.firstBadEvent == nil, "\(verification.reason ?? "")")
      #expect(verification.eventCount == writers + writers * batches)
      let events = try tracker.store.auditEvents()
      #expect(events.map(\.sequence) == (1...Int64(events.count)).map { $0 })
    }

    @Test(arguments: StoreFactory.all) func workersLeasingTrialsOfOneSweepNeverShareOne(_ kind: StoreFactory) throws {
      let directory = try temporaryStoreDirectory()
      let tracker = try kind.tracker(in: directory)
      let sweepRunID = try tracker.startRun(experiment: "sweep").id
      let trials = 40, workers = 6
      for _ in 0..<trials {
        let row = try tracker.store.insertSweepTrial(sweepRunID: sweepRunID, state: "running", payload: "{}", leaseOwner: nil, at: Date())
        try tracker.store.updateSweepTrial(sweepRunID: sweepRunID, number: row.number) { $0.ready = true }
      }
      let lock = NSLock()
      nonisolated(unsafe) var claimed: [Int: [String]] = [:]
      let failures = onThreads(workers) { worker in
        let store = try kind.open(directory)
        while let trial = try store.claimSweepTrial(sweepRunID: sweepRunID, runningState: "running", owner: "w\(worker)",
                                                    host: "h", processID: Int32(worker), at: Date()) {
          lock.withLock { claimed[trial.number, default: []].append("w\(worker)") }
          try store.updateSweepTrial(sweepRunID: sweepRunID, number: trial.number) { $0.state = "complete" }
        }
      }
      #expect(failures.isEmpty, "\(failures)")
      #expect(claimed.keys.sorted() == Array(0..<trials))
      #expect(claimed.values.allSatisfy { $0.count == 1 }, "\(claimed.filter { $0.value.count > 1 })")
      let stored = try tracker.store.sweepTrials(sweepRunID: sweepRunID)
      #expect(stored.allSatisfy { $0.state == "complete" && claimed[$0.number]?.first == $0.leaseOwner })
    }
  }
}
