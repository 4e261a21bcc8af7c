import Foundation
import KilnDistributed
import KilnSweep
import KilnConfiguration
import KilnTraining

extension SweepWorkflow {
  /// Whether this process was started by `mpirun` (from the environment Open MPI sets).
  public static func isMPILaunch(_ environment: [String: String]) -> Bool {
    MPILaunch.isActive(in: environment)
  }

  /// `mpirun -np N kiln sweep …`: rank 0 opens the sweep with `open`, sends its id and plan to
  /// the other ranks and coordinates (the only rank reading or writing the trial store); ranks
  /// 1 … N−1 train the trials they are given. Returns the finished sweep on rank 0, `nil` on the others.
  public static func runUnderMPI(layout: ProjectLayout, open: () throws -> SweepSession) throws -> SweepSession? {
    let communicator = try MPICommunicator.world()
    defer { communicator.finalize() }
    var announcement: [UInt8] = []
    var session: SweepSession?
    if communicator.rank == 0 {
      do {
        session = try open()
        announcement = Array((session!.sweepRunID + "\n" + session!.plan.json).utf8)
      } catch {
        _ = try? communicator.broadcast(bytes: [], root: 0)  // lets the other ranks stop
        throw error
      }
    }
    announcement = try communicator.broadcast(bytes: announcement, root: 0)
    guard let newline = announcement.firstIndex(of: UInt8(ascii: "\n")) else {
      throw SweepError("rank 0 could not open the sweep", hint: "rank 0's error message says why")
    }
    let sweepRunID = String(decoding: announcement[..<newline], as: UTF8.self)
    let plan = try SweepPlan(json: String(decoding: announcement[(newline + 1)...], as: UTF8.self))
    let objective = TrainingSweepObjective(plan: plan, layout: layout, sweepRunID: sweepRunID)
    guard let session else {
      try MPISweep.work(sweepRunID: sweepRunID, objective: objective, objectiveCount: plan.objectives.count,
                        communicator: communicator)
      return nil
    }
    try MPISweep.coordinate(try session.coordinator(), communicator: communicator, localObjective: objective)
    try session.finish()
    return session
  }
}
