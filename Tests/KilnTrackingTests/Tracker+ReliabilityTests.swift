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

/// Starts a stress worker whose standard output is read line by line.
func launchWorker(store: URL, experiment: String, points: Int, flushEvery: Int) throws -> (Process, FileHandle) {
  let process = Process()
  process.executableURL = stressWorkerExecutable()
  process.arguments = [store.path, experiment, String(points), String(flushEvery)]
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  return (process, output.fileHandleForReading)
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
}
