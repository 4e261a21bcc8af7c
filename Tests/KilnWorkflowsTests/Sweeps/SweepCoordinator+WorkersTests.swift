import Foundation
import KilnSweep
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct SweepCoordinatorWorkersTests {
  @Test func oneThreadAndTwoWorkerProcessesGiveTheSameTrials() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let single = try SweepFixtures.session(project, trials: 12)
    try SweepRunner.run(try single.coordinator(), workers: .threads(1, objective: SweepFixtures.toyObjective()))
    let double = try SweepFixtures.session(project, trials: 12)
    // Each worker's trials wait until both hold a lease, so the two share the work however slowly
    // the second one starts on a loaded machine.
    try SweepRunner.run(try double.coordinator(),
                        workers: .processes(2, arguments: SweepFixtures.workerArguments(double, share: true)))

    let expected = try SweepFixtures.outcomes(single)
    #expect(expected.count == 12)
    #expect(try SweepFixtures.outcomes(double) == expected)
    let states = try single.storage.allTrials().map(\.state)
    #expect(!states.contains(.running))
    #expect(states.contains(.pruned))
    // Two processes really shared the work: trials carry two lease owners.
    let owners = Set(try double.storage.rows().compactMap(\.leaseOwner))
    #expect(owners.count == 2)
  }

  @Test func mpiRanksAsWorkersGiveTheSameTrialsAsOneThread() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let single = try SweepFixtures.session(project, trials: 8)
    try SweepRunner.run(try single.coordinator(), workers: .threads(1, objective: SweepFixtures.toyObjective()))
    let ranks = try SweepFixtures.session(project, trials: 8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    // Its own session directory: concurrent mpirun jobs under one base race on its removal.
    let session = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-mpi-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: session, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: session) }
    process.arguments = ["mpirun", "--allow-run-as-root", "--oversubscribe",
                         "--mca", "orte_tmpdir_base", session.path, "-np", "3"]
      + SweepFixtures.workerArguments(ranks) + ["--mpi"]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "mpirun exited with \(process.terminationStatus)")

    #expect(try SweepFixtures.outcomes(ranks) == SweepFixtures.outcomes(single))
    let owners = Set(try ranks.storage.rows().compactMap(\.leaseOwner))
    #expect(owners == ["mpi-rank-1", "mpi-rank-2"])
  }

  @Test func eachTrialIsAChildRunWithItsParametersAndCurve() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let session = try SweepFixtures.session(project, trials: 4)
    try SweepRunner.run(try session.coordinator(), workers: .threads(1, objective: SweepFixtures.toyObjective()))
    try session.finish()

    let children = try session.tracker.children(of: session.sweepRunID)
    #expect(children.count == 4)
    let trial = try session.storage.trial(0)
    let run = try #require(children.first { $0.id == (try? session.storage.rows()[0].runID) })
    let tags = try session.tracker.store.tags(runID: run.id)
    #expect(tags["sweep.trial"] == "0")
    #expect(tags["sweep.state"] == trial.state.rawValue)
    #expect(tags["param.kind"] == trial.parameters["kind"]?.description)
    let curve = try session.tracker.metricHistory(runID: run.id, key: "toy.loss")
    #expect(curve.count == trial.intermediateValues.count)
    #expect(try session.tracker.run(id: session.sweepRunID).status == .finished)
    #expect(try session.tracker.store.tags(runID: session.sweepRunID)["sweep.best_trial"] != nil)
  }

  @Test func aSIGKILLedWorkerProcessesTrialIsRequeuedWithTheSameParameters() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let session = try SweepFixtures.session(project, trials: 1)
    let coordinator = try session.coordinator()
    try coordinator.step()
    let sampled = try session.storage.trial(0).parameters

    let worker = Process()
    worker.executableURL = URL(fileURLWithPath: SweepFixtures.workerArguments(session, hang: true)[0])
    worker.arguments = Array(SweepFixtures.workerArguments(session, hang: true).dropFirst())
    try worker.run()
    defer { if worker.isRunning { worker.terminate() } }
    // Wait (bounded) until the worker has claimed the trial and reported its first step.
    let deadline = Date().addingTimeInterval(60)
    while try session.storage.trial(0).intermediateValues.isEmpty, Date() < deadline {
      Thread.sleep(forTimeInterval: 0.02)
    }
    let claimed = try session.storage.rows()[0]
    #expect(claimed.leaseProcessID == worker.processIdentifier)
    #expect(try coordinator.reapDeadLeases().isEmpty)  // alive and beating: nothing to take back

    kill(worker.processIdentifier, SIGKILL)
    worker.waitUntilExit()
    #expect(try coordinator.reapDeadLeases() == [0])

    let requeued = try session.storage.rows()[0]
    #expect(requeued.state == "running" && requeued.ready && requeued.leaseOwner == nil)
    #expect(requeued.restartCount == 1)
    #expect(try session.storage.trial(0).parameters == sampled)
    try SweepRunner.run(coordinator, workers: .threads(1, objective: SweepFixtures.toyObjective()))
    let finished = try session.storage.trial(0)
    #expect(finished.state == .complete)
    #expect(abs(finished.value! - SweepFixtures.toyValue(sampled, step: 7)) < 1e-12)
  }

  @Test func aTrialWithAStaleHeartbeatIsTakenBackThenFailedPastTheRestartLimit() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let session = try SweepFixtures.session(project, trials: 1)
    let coordinator = try session.coordinator()
    try coordinator.step()
    for restart in 0...session.plan.maximumRestarts {
      // A worker on another host that stopped renewing its lease.
      _ = try #require(try session.storage.claimTrial(owner: "silent-\(restart)"))
      try session.storage.store.updateSweepTrial(sweepRunID: session.sweepRunID, number: 0) { row in
        row.leaseHost = "another-host"
      }
      let late = Date().addingTimeInterval(session.plan.leaseTimeout + 1)
      #expect(try coordinator.reapDeadLeases(at: Date()).isEmpty)
      #expect(try coordinator.reapDeadLeases(at: late) == [0])
    }
    let failed = try session.storage.trial(0)
    #expect(failed.state == .failed)
    #expect(failed.error?.contains("no heartbeat") == true)
    #expect(try coordinator.isComplete())
  }

  @Test func resumeAfterACrashRepeatsNoFinishedTrial() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let first = try SweepFixtures.session(project, trials: 6)
    let firstCalls = CallCounter()
    try SweepRunner.run(try first.coordinator(), workers: .threads(1, objective: SweepFixtures.toyObjective(counting: firstCalls)))
    #expect(firstCalls.snapshot == Dictionary(uniqueKeysWithValues: (0..<6).map { ($0, 1) }))

    // The crash: the sweep is extended, trial 6 is claimed by a worker process that then died.
    let extended = try SweepSession.open(sweepRunID: first.sweepRunID, layout: project.layout, trials: 10)
    try extended.coordinator().sampleReadyTrials()
    let dead = Process()
    dead.executableURL = URL(fileURLWithPath: "/bin/true")
    try dead.run()
    dead.waitUntilExit()
    _ = try #require(try extended.storage.claimTrial(owner: "crashed"))
    try extended.storage.store.updateSweepTrial(sweepRunID: extended.sweepRunID, number: 6) { row in
      row.leaseProcessID = dead.processIdentifier
    }

    let resumed = try SweepSession.open(sweepRunID: first.sweepRunID, layout: project.layout)
    #expect(resumed.plan.trials == 10)
    let resumedCalls = CallCounter()
    try SweepRunner.run(try resumed.coordinator(), workers: .threads(2, objective: SweepFixtures.toyObjective(counting: resumedCalls)))
    #expect(resumedCalls.snapshot == Dictionary(uniqueKeysWithValues: (6..<10).map { ($0, 1) }))
    let trials = try resumed.storage.allTrials()
    #expect(trials.count == 10)
    #expect(trials.allSatisfy { $0.state.isFinished })
    #expect(try resumed.storage.rows()[6].restartCount == 1)
  }

  @Test func theSQLiteStorageGivesAStudyTheSameTrialsAsMemory() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let session = try SweepFixtures.session(project, trials: 0)
    func sweep(_ storage: any TrialStorage) throws -> [TrialRecord] {
      let study = Study(direction: .minimize, sampler: TPESampler(.init(startupTrials: 3)), pruner: MedianPruner(startupTrials: 2),
                        storage: storage, seed: 11)
      try study.optimize(trials: 8) { trial in
        let x = trial.suggestFloat("x", in: -3...3)
        let layers = trial.suggestInt("layers", in: 1...4)
        if layers == 4 && x > 2.5 { throw SweepError("a failing configuration", hint: "none") }
        for step in 0..<4 {
          trial.report(x * x + Double(layers) + 1 / Double(step + 1), step: step)
          if trial.shouldPrune { throw TrialPruned() }
        }
        return x * x + Double(layers)
      }
      return try study.trials()
    }
    let fromSQLite = try sweep(session.storage)
    let fromMemory = try sweep(InMemoryTrialStorage())
    #expect(fromSQLite.map(\.parameters) == fromMemory.map(\.parameters))
    #expect(fromSQLite.map(\.state) == fromMemory.map(\.state))
    #expect(fromSQLite.map(\.value) == fromMemory.map(\.value))
    #expect(fromSQLite.map(\.intermediateValues) == fromMemory.map(\.intermediateValues))
  }
}
