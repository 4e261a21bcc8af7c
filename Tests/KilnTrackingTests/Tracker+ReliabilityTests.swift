import Foundation
import Testing
@testable import KilnTracking

/// The stress worker executable, built beside the test bundle.
func stressWorkerExecutable() -> URL {
  var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  while url.path != "/" {
    let candidate = url.appendingPathComponent("KilnTrackingStressWorker")
    if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
    url = url.deletingLastPathComponent()
  }
  return URL(fileURLWithPath: ".build/debug/KilnTrackingStressWorker")
}

/// Starts a stress worker whose standard output is read line by line; `mode` is `auto` or
/// `freeze` with its flush interval (see the worker's usage), `nil` for hand-made flushes.
func launchWorker(store: URL, experiment: String, points: Int, flushEvery: Int,
                  mode: (name: String, flushInterval: Double)? = nil, errors: Pipe? = nil) throws -> (Process, FileHandle) {
  let process = Process()
  process.executableURL = stressWorkerExecutable()
  process.arguments = [store.path, experiment, String(points), String(flushEvery)]
    + (mode.map { [$0.name, String($0.flushInterval)] } ?? [])
  let output = Pipe()
  process.standardOutput = output
  if let errors { process.standardError = errors }
  try process.run()
  return (process, output.fileHandleForReading)
}

/// The number after `prefix` on `line`, or nil when the line says something else.
/// Waits until process `pid` is stopped by a signal (state `T` in /proc/PID/stat); false if it
/// ends first.
func waitUntilStopped(_ pid: Int32) -> Bool {
  while let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")") {
    let state = stat[stat.index(after: close)...].split(separator: " ").first
    if state == "T" { return true }
    if state == "Z" || state == "X" { return false }
    sched_yield()
  }
  return false
}

func count(after prefix: String, in line: String) -> Int? {
  line.hasPrefix(prefix) ? Int(line.dropFirst(prefix.count)) : nil
}

/// Reads one line from `handle` (blocking), or `nil` at the end of the stream.
func readLine(from handle: FileHandle) -> String? {
  var bytes: [UInt8] = []
  while true {
    let data = handle.readData(ofLength: 1)
    guard let byte = data.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
    if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
    bytes.append(byte)
  }
}

@Suite(.serialized) struct TrackerReliabilityTests {
  @Test func aRunKilledWithSigkillKeepsFlushedPointsAndIsMarkedKilled() throws {
    let directory = try temporaryStoreDirectory()
    _ = try Tracker(storeDirectory: directory)
    let (worker, output) = try launchWorker(store: directory, experiment: "crash", points: 0, flushEvery: 500)
    let started = try #require(readLine(from: output))
    let runID = String(try #require(started.split(separator: " ").last))
    var acknowledged = 0
    while acknowledged < 5_000, let line = readLine(from: output), line.hasPrefix("flushed ") {
      acknowledged = Int(line.dropFirst("flushed ".count)) ?? acknowledged
    }
    kill(worker.processIdentifier, SIGKILL)
    worker.waitUntilExit()
    #expect(worker.terminationReason == .uncaughtSignal)

    let tracker = try Tracker(storeDirectory: directory)
    #expect(try tracker.store.integrityCheck() == "ok")
    #expect(try tracker.run(id: runID).status == .running)
    #expect(try tracker.markKilledRuns() == [runID])
    #expect(try tracker.run(id: runID).status == .killed)
    let history = try tracker.metricHistory(runID: runID, key: "value")
    #expect(history.count >= acknowledged)
    #expect(history.prefix(acknowledged).map(\.step) == Array(0..<Int64(acknowledged)))
    #expect(try tracker.store.auditEvents().last?.kind == .runKilled)
    #expect(try tracker.verifyAuditLog().isIntact)
  }

  @Test func fourConcurrentWritersLoseNothing() throws {
    let directory = try temporaryStoreDirectory()
    _ = try Tracker(storeDirectory: directory)
    let workers = try (0..<4).map { _ in try launchWorker(store: directory, experiment: "parallel", points: 10_000, flushEvery: 100) }
    var finishedLines: [String] = []
    for (process, output) in workers {
      var last = ""
      while let line = readLine(from: output) { last = line }
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      finishedLines.append(last)
    }
    #expect(finishedLines == Array(repeating: "finished 10000", count: 4))
    let tracker = try Tracker(storeDirectory: directory)
    let runs = try tracker.runs(RunQuery(experiment: "parallel"))
    #expect(runs.count == 4)
    #expect(runs.allSatisfy { $0.status == .finished })
    for run in runs {
      #expect(try tracker.store.metricPointCount(runID: run.id) == 10_000)
    }
    #expect(try tracker.verifyAuditLog() == AuditVerification(eventCount: 8, firstBadEvent: nil, reason: nil))
  }

  @Test func aRunWithAStaleHeartbeatIsMarkedKilled() throws {
    let clock = ManualClock()
    let directory = try temporaryStoreDirectory()
    let tracker = try Tracker(storeDirectory: directory, clock: { clock.now })
    let run = try tracker.startRun(experiment: "hung", options: RunLoggingOptions(heartbeatInterval: 10))
    let silent = try tracker.startRun(experiment: "quiet", options: RunLoggingOptions(heartbeatInterval: nil))
    #expect(try tracker.run(id: run.id).heartbeatInterval == 10)
    #expect(try tracker.markKilledRuns(staleAfter: 60) == [])
    clock.advance(by: 61)
    #expect(try tracker.markKilledRuns(staleAfter: 60) == [run.id])
    #expect(try tracker.run(id: run.id).status == .killed)
    #expect(try tracker.run(id: silent.id).status == .running)
  }

  /// Points are acknowledged without a hand-made flush (at least every flush interval while the
  /// run logs), and kill -9 at any instant never loses one that was acknowledged.
  @Test func killingAWriterAtRandomInstantsNeverLosesAnAcknowledgedPoint() throws {
    var generator = SystemRandomNumberGenerator()
    for round in 0..<4 {
      let directory = try temporaryStoreDirectory()
      _ = try Tracker(storeDirectory: directory)
      let (worker, output) = try launchWorker(store: directory, experiment: "ack-\(round)", points: 0, flushEvery: 0,
                                              mode: ("auto", 0.02))
      let runID = String(try #require(readLine(from: output)?.split(separator: " ").last))
      // Kill after a random number of acknowledgements: the instant falls anywhere in the
      // buffering or the commit of the next batch.
      let acknowledgementsBeforeKill = Int.random(in: 1...6, using: &generator)
      var seen = 0, acknowledged = 0
      while seen < acknowledgementsBeforeKill, let line = readLine(from: output) {
        if let value = count(after: "acknowledged ", in: line) { acknowledged = value; seen += 1 }
      }
      kill(worker.processIdentifier, SIGKILL)
      while let line = readLine(from: output) {
        if let value = count(after: "acknowledged ", in: line) { acknowledged = max(acknowledged, value) }
      }
      worker.waitUntilExit()
      #expect(worker.terminationReason == .uncaughtSignal)
      #expect(acknowledged > 0)

      let tracker = try Tracker(storeDirectory: directory)
      #expect(try tracker.store.integrityCheck() == "ok")
      let steps = try tracker.metricHistory(runID: runID, key: "value").map(\.step)
      #expect(steps.count >= acknowledged, "round \(round): \(acknowledged) acknowledged, \(steps.count) stored")
      #expect(Array(steps.prefix(acknowledged)) == Array(0..<Int64(acknowledged)))
    }
  }

  /// A real SIGSTOP past the heartbeat: the run is marked killed and resumed by another process;
  /// when the frozen writer continues, its writes are refused and it stops.
  @Test func aFrozenWriterIsFencedOffOnceItsRunIsResumed() throws {
    let directory = try temporaryStoreDirectory()
    _ = try Tracker(storeDirectory: directory)
    let errors = Pipe()
    let (worker, output) = try launchWorker(store: directory, experiment: "frozen", points: 0, flushEvery: 0,
                                            mode: ("freeze", 0.02), errors: errors)
    // Should an expectation stop the test early, the stopped worker must not outlive it.
    defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
    let runID = String(try #require(readLine(from: output)?.split(separator: " ").last))
    var frozenAt: Int?
    while frozenAt == nil, let line = readLine(from: output) { frozenAt = count(after: "frozen ", in: line) }
    let acknowledged = try #require(frozenAt)
    // It says "frozen" just before it stops itself: a SIGCONT sent before the stop would be lost.
    try #require(waitUntilStopped(worker.processIdentifier), "the worker never stopped")

    // A day later by this tracker's clock, the frozen worker's heartbeat (every 600 s) is stale.
    let later = Tracker(store: try SQLiteTrackingStore(databaseFile: directory.appendingPathComponent("kiln.sqlite")),
                        artifactsDirectory: directory.appendingPathComponent("artifacts"),
                        clock: { Date().addingTimeInterval(86_400) })
    #expect(try later.markKilledRuns(staleAfter: 60) == [runID])
    let resumed = try later.resumeRun(id: String(runID.prefix(8)))
    #expect(resumed.id == runID)
    #expect(resumed.generation == 1)
    try resumed.log("value", value: -1, step: 1_000_000_000)
    try resumed.finish(.finished)

    kill(worker.processIdentifier, SIGCONT)
    while readLine(from: output) != nil {}
    worker.waitUntilExit()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(worker.terminationReason == .exit && worker.terminationStatus == 3, "\(message)")
    #expect(message.contains("resumed by another process"), "\(message)")

    let tracker = try Tracker(storeDirectory: directory)
    let steps = try tracker.metricHistory(runID: runID, key: "value").map(\.step)
    #expect(steps == Array(0..<Int64(acknowledged)) + [1_000_000_000], "only the resumed generation wrote after the freeze")
    #expect(try tracker.run(id: runID).status == .finished)
    #expect(try tracker.store.auditEvents().last?.kind == .runFinished)
    #expect(try tracker.verifyAuditLog().isIntact)
  }

  @Test func aStaleGenerationCannotFinishTagOrLogArtifacts() throws {
    let directory = try temporaryStoreDirectory()
    let tracker = try Tracker(storeDirectory: directory)
    let original = try tracker.startRun(experiment: "fenced", options: RunLoggingOptions(heartbeatInterval: nil))
    try tracker.store.endRun(runID: original.id, status: .killed, at: Date(), details: [:])
    let resumed = try tracker.resumeRun(id: original.id)
    #expect(original.generation == 0 && resumed.generation == 1)
    let file = directory.appendingPathComponent("note.txt")
    try Data("x".utf8).write(to: file)
    for write in [{ try original.setTag("k", "v") }, { try original.logArtifact(file: file, name: "note.txt") },
                  { try original.finish(.failed) }] as [() throws -> Void] {
      #expect(throws: TrackingError.self) { try write() }
    }
    #expect(try tracker.store.tags(runID: original.id)["k"] == nil)
    #expect(try tracker.store.artifacts(runID: original.id).isEmpty)
    #expect(try tracker.run(id: original.id).status == .running)
    try resumed.setTag("k", "resumed")
    #expect(try tracker.store.tags(runID: original.id)["k"] == "resumed")
  }
}
