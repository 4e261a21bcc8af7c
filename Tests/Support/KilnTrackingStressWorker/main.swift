// A child process for the tracking store's reliability tests: logs metric points into a store
// and reports on standard output every point count it has made durable.
//
// Usage: KilnTrackingStressWorker STORE EXPERIMENT POINTS FLUSH_EVERY [MODE FLUSH_INTERVAL]
//        KilnTrackingStressWorker STORE lease SWEEP_RUN_ID OWNER
//   STORE is a store's folder or a postgresql:// URL.
//   `lease` claims the sweep's ready trials one at a time until none is left, marks each complete
//   and reports it ("claimed NUMBER").
//   POINTS = 0 logs until killed; otherwise the run finishes after POINTS points.
//   FLUSH_EVERY > 0 flushes by hand every FLUSH_EVERY points ("flushed N").
//   MODE `auto` never flushes by hand: the run acknowledges points itself every FLUSH_INTERVAL
//   seconds, and each new acknowledged count is reported ("acknowledged N").
//   MODE `freeze` flushes every 100 points on its own thread (no timed flush) and stops itself with
//   SIGSTOP after its second acknowledgement ("frozen N"), between two transactions, and carries on
//   when continued.
// A write refused because the run was resumed elsewhere ends the worker with status 3.
import Foundation
import KilnTracking

let arguments = CommandLine.arguments

/// The tracker over STORE: a folder keeps its artifacts inside it, a server store in a temporary folder.
func openTracker(_ store: String) throws -> Tracker {
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
  let location = try StoreLocation.parse(store, relativeTo: here)
  if case .embedded(let directory) = location { return try Tracker(storeDirectory: directory) }
  return try Tracker(location: location, artifactsDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("kiln-worker-artifacts"))
}

if arguments.count == 5, arguments[2] == "lease" {
  do {
    let store = try openTracker(arguments[1]).store
    while let trial = try store.claimSweepTrial(sweepRunID: arguments[3], runningState: "running", owner: arguments[4],
                                                host: ProcessInfo.processInfo.hostName, processID: getpid(), at: Date()) {
      try store.updateSweepTrial(sweepRunID: arguments[3], number: trial.number) { $0.state = "complete" }
      FileHandle.standardOutput.write(Data("claimed \(trial.number)\n".utf8))
    }
    exit(0)
  } catch {
    FileHandle.standardError.write(Data("lease worker failed: \(error)\n".utf8))
    exit(1)
  }
}

guard arguments.count == 5 || arguments.count == 7, let points = Int(arguments[3]), let flushEvery = Int(arguments[4]),
      flushEvery >= 0 else {
  FileHandle.standardError.write(Data("usage: KilnTrackingStressWorker STORE EXPERIMENT POINTS FLUSH_EVERY [auto|freeze SECONDS]\n".utf8))
  exit(2)
}
let mode = arguments.count == 7 ? arguments[5] : "manual"
// A freezing worker flushes on its own thread only (below): a timed flush on the logger's thread
// could be inside a transaction, holding the store's write lock, at the instant it stops.
let flushInterval = mode == "freeze" ? 3_600 : arguments.count == 7 ? (TimeInterval(arguments[6]) ?? 1) : 3_600

func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

do {
  let tracker = try openTracker(arguments[1])
  // A frozen worker must not be inside a transaction when it stops (it would hold the store's
  // write lock): its heartbeat is long enough never to fire during the test, and the test's clock
  // runs a day ahead to find it stale.
  let heartbeat: TimeInterval? = mode == "freeze" ? 600 : nil
  let run = try tracker.startRun(experiment: arguments[2], name: "worker-\(getpid())", seed: 1,
                                 options: RunLoggingOptions(flushThreshold: 1_000_000, flushInterval: flushInterval,
                                                            heartbeatInterval: heartbeat))
  say("started \(run.id)")
  var step = 0, reported = 0, acknowledgements = 0
  while points == 0 || step < points {
    try run.log("value", value: Double(step), step: step)
    step += 1
    if mode == "freeze" && step % 100 == 0 { try run.flush() }
    if mode == "manual", flushEvery > 0, step % flushEvery == 0 {
      try run.flush()
      say("flushed \(step)")
    } else if mode != "manual", run.acknowledgedPointCount > reported {
      reported = run.acknowledgedPointCount
      acknowledgements += 1
      say("acknowledged \(reported)")
      if mode == "freeze" && acknowledgements == 2 {
        say("frozen \(reported)")
        raise(SIGSTOP)
      }
    }
  }
  try run.finish(.finished)
  say("finished \(step)")
} catch let error as TrackingError where error.code == .staleWriter {
  FileHandle.standardError.write(Data("worker stopped: \(error)\n".utf8))
  exit(3)
} catch {
  FileHandle.standardError.write(Data("worker failed: \(error)\n".utf8))
  exit(1)
}
