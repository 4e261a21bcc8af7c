// A sweep worker process for the sweep tests: runs the toy objective on a sweep in a project's
// store. Usage: KilnSweepTestWorker PROJECT_ROOT SWEEP_RUN_ID COORDINATOR_PID [--hang | --share]
// With --hang, each trial reports step 0 and then blocks forever (so a test can kill it mid-trial).
// With --share, each trial first waits (up to two minutes) until trials are leased to two owners, so
// a test can check that two workers shared a sweep however slowly the second one starts.
// With --mpi (under mpirun), rank 0 coordinates the sweep and the other ranks run its trials.
import Foundation
import KilnDistributed
import KilnSweep
import KilnConfiguration
import KilnTuning

let arguments = CommandLine.arguments
guard arguments.count >= 4, let coordinator = Int32(arguments[3]) else {
  FileHandle.standardError.write(Data("usage: KilnSweepTestWorker PROJECT_ROOT SWEEP_RUN_ID COORDINATOR_PID [--hang | --share]\n".utf8))
  exit(2)
}
let hang = arguments.contains("--hang")
let layout = ProjectLayout(root: URL(fileURLWithPath: arguments[1]))

/// Returns once trials carry two lease owners (this worker's and another's), or after two minutes.
func waitForASecondOwner(_ storage: TrackedTrialStorage) throws {
  let deadline = Date().addingTimeInterval(120)
  while try Set(storage.rows().compactMap(\.leaseOwner)).count < 2 && Date() < deadline {
    usleep(10_000)
  }
}

/// The toy learning curve: a quadratic bowl in (x, y) plus a choice penalty, approached as 4/(step+1).
func objective(sharingWith storage: TrackedTrialStorage? = nil) -> ClosureObjective {
  ClosureObjective { assignment, reporter in
    if let storage { try waitForASecondOwner(storage) }
    let x = assignment.parameters["x"]?.numericValue ?? 0
    let y = assignment.parameters["y"]?.numericValue ?? 0
    let penalty = assignment.parameters["kind"] == .string("b") ? 0.5 : 0
    let floor = (x - 1) * (x - 1) + 0.1 * (y - 3) * (y - 3) + penalty
    var value = floor
    for step in 0..<8 {
      value = floor + 4 / Double(step + 1)
      if try reporter.report(value, step: step) { throw TrialPruned() }
      if hang { while true { pause() } }
    }
    return value
  }
}

do {
  if arguments.contains("--mpi") {
    let communicator = try MPICommunicator.world()
    if communicator.rank == 0 {
      let session = try SweepSession.open(sweepRunID: arguments[2], layout: layout)
      try MPISweep.coordinate(try session.coordinator(), communicator: communicator, localObjective: objective())
    } else {
      try MPISweep.work(sweepRunID: arguments[2], objective: objective(), objectiveCount: 1, communicator: communicator)
    }
    communicator.finalize()
  } else {
    let session = try SweepSession.open(sweepRunID: arguments[2], layout: layout)
    let sharing = arguments.contains("--share") ? session.storage : nil
    try session.runWorker(objective(sharingWith: sharing), coordinatorProcessID: coordinator)
  }
} catch {
  FileHandle.standardError.write(Data("KilnSweepTestWorker: \(error)\n".utf8))
  exit(1)
}
