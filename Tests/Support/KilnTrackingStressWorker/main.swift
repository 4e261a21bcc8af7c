// A child process for the tracking store's reliability tests: logs metric points into a store
// and reports on standard output every point count it has made durable with a flush.
//
// Usage: KilnTrackingStressWorker STORE_DIRECTORY EXPERIMENT POINTS FLUSH_EVERY
//   POINTS = 0 logs until killed; otherwise the run finishes after POINTS points.
import Foundation
import KilnTracking

let arguments = CommandLine.arguments
guard arguments.count == 5, let points = Int(arguments[3]), let flushEvery = Int(arguments[4]), flushEvery > 0 else {
  FileHandle.standardError.write(Data("usage: KilnTrackingStressWorker STORE EXPERIMENT POINTS FLUSH_EVERY\n".utf8))
  exit(2)
}

func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

do {
  let tracker = try Tracker(storeDirectory: URL(fileURLWithPath: arguments[1]))
  let run = try tracker.startRun(experiment: arguments[2], name: "worker-\(getpid())", seed: 1,
                                 options: RunLoggingOptions(flushThreshold: 1_000_000, heartbeatInterval: nil))
  say("started \(run.id)")
  var step = 0
  while points == 0 || step < points {
    try run.log("value", value: Double(step), step: step)
    step += 1
    if step % flushEvery == 0 {
      try run.flush()
      say("flushed \(step)")
    }
  }
  try run.finish(.finished)
  say("finished \(step)")
} catch {
  FileHandle.standardError.write(Data("worker failed: \(error)\n".utf8))
  exit(1)
}
