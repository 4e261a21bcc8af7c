import Foundation
import KilnSweep
import KilnConfiguration
import KilnTraining

/// Runs a sweep to the end: a coordinator (this thread) samples and reaps dead leases while
/// workers — threads of this process, or worker processes sharing the store — run the trials.
public enum SweepRunner {
  /// Who runs the trials.
  public enum Workers {
    /// `count` threads of this process, each with `objective`.
    case threads(Int, objective: any SweepObjective)
    /// `count` processes started from `arguments` (the executable first); each must run
    /// `SweepWorker` on the same store until the sweep is complete or this process is gone.
    /// A worker process that exits early is replaced (at most `count` × the plan's restart limit times).
    case processes(Int, arguments: [String])
  }

  /// Runs `coordinator`'s sweep until every planned trial has finished.
  /// - Throws: the first store failure (of the coordinator or a worker thread), or a
  ///   `SweepError` when worker processes cannot be started or keep dying.
  public static func run(_ coordinator: SweepCoordinator, workers: Workers, pollInterval: TimeInterval = 0.05) throws {
    switch workers {
    case .threads(let count, let objective):
      try runThreads(coordinator, count: count, objective: objective, pollInterval: pollInterval)
    case .processes(let count, let arguments):
      try runProcesses(coordinator, count: count, arguments: arguments, pollInterval: pollInterval)
    }
  }

  static func runThreads(_ coordinator: SweepCoordinator, count: Int, objective: any SweepObjective,
                         pollInterval: TimeInterval) throws {
    precondition(count >= 1, "SweepRunner: \(count) worker threads; at least one is needed")
    let state = RunnerState()
    let group = DispatchGroup()
    for _ in 0..<count {
      group.enter()
      let worker = SweepWorker(storage: coordinator.storage, plan: coordinator.plan)
      let thread = Thread {
        defer { group.leave() }
        do {
          try worker.run(objective, pollInterval: pollInterval) { state.isStopped }
        } catch {
          state.fail(error)
        }
      }
      thread.start()
    }
    var failure: (any Error)?
    do {
      while try !coordinator.step(), !state.isStopped {
        Thread.sleep(forTimeInterval: pollInterval)
      }
    } catch {
      failure = error
    }
    state.stop()
    group.wait()
    if let error = failure ?? state.firstError { throw error }
  }

  static func runProcesses(_ coordinator: SweepCoordinator, count: Int, arguments: [String],
                           pollInterval: TimeInterval) throws {
    precondition(count >= 1, "SweepRunner: \(count) worker processes; at least one is needed")
    precondition(!arguments.isEmpty, "SweepRunner: worker processes need an executable")
    var processes: [Process] = []
    var replacements = count * max(1, coordinator.plan.maximumRestarts)
    func launch() throws -> Process {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: arguments[0])
      process.arguments = Array(arguments.dropFirst())
      process.standardOutput = FileHandle.nullDevice  // the coordinator reports progress; errors go to stderr
      do {
        try process.run()
      } catch {
        throw SweepError("cannot start a sweep worker \(arguments[0]): \(error)",
                         hint: "check that the kiln executable is readable and executable")
      }
      return process
    }
    defer {
      for process in processes where process.isRunning { process.terminate() }
      for process in processes { process.waitUntilExit() }
    }
    for _ in 0..<count { processes.append(try launch()) }
    while try !coordinator.step() {
      for index in processes.indices where !processes[index].isRunning {
        guard replacements > 0 else {
          throw SweepError("sweep workers keep exiting (last status \(processes[index].terminationStatus))",
                           hint: "run `kiln sweep-worker` by hand to see its error; `kiln sweep --resume` continues the sweep")
        }
        replacements -= 1
        processes[index] = try launch()
      }
      Thread.sleep(forTimeInterval: pollInterval)
    }
  }
}

/// The shared stop flag and first error of a run's worker threads.
private final class RunnerState: @unchecked Sendable {
  private let lock = NSLock()
  private var stopped = false
  private(set) var firstError: (any Error)?

  var isStopped: Bool { lock.withLock { stopped } }

  func stop() { lock.withLock { stopped = true } }

  func fail(_ error: any Error) {
    lock.withLock {
      if firstError == nil { firstError = error }
      stopped = true
    }
  }
}
