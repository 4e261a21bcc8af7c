import Foundation
import KilnPostgresTestServer
import Testing
@testable import KilnTracking

/// The team store under load, as the issue sets it: 16 writer processes logging 10,000 metric
/// points each and 8 sweep worker processes leasing the trials of one study, all at once against
/// one PostgreSQL database. Nothing is lost, nothing is duplicated, and the audit log verifies.
/// (No timing is asserted; the throughput is in BENCHMARKS.md.)
@Suite struct StoreLoadTests {
  @Test func sixteenWritersAndEightSweepWorkersLoseAndDuplicateNothing() throws {
    let url = try PostgresTestServer.shared().database(for: "load-\(UUID().uuidString)")
    let store = try PostgresTrackingStore(url: url)
    let tracker = Tracker(store: store, artifactsDirectory: try temporaryStoreDirectory())
    let sweep = try tracker.startRun(experiment: "study")
    let trials = 200, writers = 16, points = 10_000, leasers = 8
    for _ in 0..<trials {
      let row = try store.insertSweepTrial(sweepRunID: sweep.id, state: "running", payload: "{}", leaseOwner: nil, at: Date())
      try store.updateSweepTrial(sweepRunID: sweep.id, number: row.number) { $0.ready = true }
    }

    func start(_ arguments: [String]) throws -> (process: Process, output: Pipe, errors: Pipe) {
      let process = Process(), output = Pipe(), errors = Pipe()
      process.executableURL = stressWorkerExecutable()
      process.arguments = [url.text] + arguments
      process.standardOutput = output
      process.standardError = errors
      try process.run()
      return (process, output, errors)
    }
    let writing = try (0..<writers).map { _ in try start(["load", String(points), "1000"]) }
    let leasing = try (0..<leasers).map { try start(["lease", sweep.id, "worker-\($0)"]) }
    var claimed: [Int: [String]] = [:]
    for (index, worker) in (writing + leasing).enumerated() {
      let output = String(decoding: worker.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      let errors = String(decoding: worker.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      worker.process.waitUntilExit()
      #expect(worker.process.terminationStatus == 0, "worker \(index): \(errors)")
      if index >= writers {
        for line in output.split(separator: "\n") {
          if let number = count(after: "claimed ", in: String(line)) { claimed[number, default: []].append("worker-\(index - writers)") }
        }
      } else {
        #expect(output.contains("finished \(points)"), "worker \(index): \(output)")
      }
    }

    let runs = try store.runs(matching: RunQuery(experiment: "load"))
    #expect(runs.count == writers && runs.allSatisfy { $0.status == .finished })
    for run in runs {
      #expect(try store.metricPointCount(runID: run.id) == points, "run \(run.id)")
      let latest = try store.latestMetrics(runID: run.id)["value"]
      #expect(latest?.step == Int64(points - 1) && latest?.value == Double(points - 1))
    }
    #expect(claimed.keys.sorted() == Array(0..<trials), "claimed \(claimed.count) of \(trials) trials")
    #expect(claimed.values.allSatisfy { $0.count == 1 }, "\(claimed.filter { $0.value.count > 1 })")
    let stored = try store.sweepTrials(sweepRunID: sweep.id)
    #expect(stored.count == trials && stored.allSatisfy { $0.state == "complete" && claimed[$0.number]?.first == $0.leaseOwner })
    let verification = try AuditVerification.verify(store: store)
    #expect(verification.isIntact, "\(verification.reason ?? "")")
    #expect(verification.eventCount == 1 + 2 * writers, "a start and an end per writer, and the sweep's start")
  }
}
