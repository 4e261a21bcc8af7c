import Foundation
import KilnDistributed
import KilnSweep
import KilnConfiguration
import KilnTraining

/// A sweep over MPI ranks (`mpirun -np N kiln sweep …`): rank 0 samples, prunes and records —
/// it alone touches the trial store — and ranks 1 … N−1 run trials, exchanging small JSON
/// messages with rank 0 (`send`/`receive` of `Communicator`).
///
/// Protocol (worker → rank 0 on `requestTag`, rank 0 → worker on `replyTag`): a worker asks for
/// a trial and gets `assign` (number and values) or `stop`; it reports each intermediate value
/// and gets the pruner's decision; it sends the result and asks again. A failed MPI call on rank 0
/// puts back every trial leased to a rank before the error is rethrown, so `--resume` runs them
/// again. With one rank, rank 0 runs the trials itself.
public enum MPISweep {
  public static let requestTag = 7_101
  public static let replyTag = 7_102

  enum WorkerMessage: Codable {
    case request
    case report(number: Int, step: Int, values: [Double])
    case result(number: Int, state: TrialState, values: [Double]?, error: String?, runID: String?)
  }

  enum CoordinatorMessage: Codable {
    case assign(number: Int, parameters: [String: ParameterValue])
    case decision(prune: Bool)
    case stop
  }

  /// Rank 0: runs `coordinator`'s sweep with the other ranks as workers (with `localObjective`
  /// in this process when there are no other ranks).
  public static func coordinate(_ coordinator: SweepCoordinator, communicator: any Communicator,
                                localObjective: @autoclosure () throws -> any SweepObjective) throws {
    precondition(communicator.rank == 0, "MPISweep.coordinate: must run on rank 0, not rank \(communicator.rank)")
    guard communicator.size > 1 else {
      try SweepRunner.run(coordinator, workers: .threads(1, objective: try localObjective()))
      return
    }
    let state = RootState(coordinator: coordinator)
    do {
      try state.serve(communicator)
    } catch {
      try? state.requeueLeasedTrials()
      throw error
    }
  }

  /// Ranks 1 … N−1: run the trials rank 0 assigns until it says stop.
  public static func work(sweepRunID: String, objective: any SweepObjective, objectiveCount: Int,
                          communicator: any Communicator) throws {
    precondition(communicator.rank > 0, "MPISweep.work: rank 0 coordinates and cannot be a worker")
    while true {
      try send(.request, communicator)
      switch try receive(communicator) {
      case .stop:
        return
      case .decision:
        throw SweepError("rank \(communicator.rank) got a pruning decision while asking for a trial",
                         hint: "all ranks must run the same kiln version")
      case .assign(let number, let parameters):
        let reporter = MessageTrialReporter(number: number, communicator: communicator)
        let assignment = TrialAssignment(sweepRunID: sweepRunID, number: number, parameters: parameters)
        let result = Result { try objective.evaluate(assignment, reporter: reporter) }
        if case .failure(let error as CommunicatorError) = result { throw error }
        let (state, values, error) = Study.outcome(of: result, objectiveCount: objectiveCount,
                                                   lastReported: reporter.record.lastReportedValues)
        try send(.result(number: number, state: state, values: values, error: error, runID: reporter.linkedRunID), communicator)
      }
    }
  }

  static func send(_ message: WorkerMessage, _ communicator: any Communicator) throws {
    try communicator.send(Array(try JSONEncoder().encode(message)), to: 0, tag: requestTag)
  }

  static func receive(_ communicator: any Communicator) throws -> CoordinatorMessage {
    try JSONDecoder().decode(CoordinatorMessage.self, from: Data(try communicator.receive(from: 0, tag: replyTag).bytes))
  }
}

/// Rank 0's bookkeeping: which rank runs which trial, and who waits for one.
private final class RootState {
  let coordinator: SweepCoordinator
  var storage: TrackedTrialStorage { coordinator.storage }
  var running: [Int: (number: Int, peers: [TrialRecord])] = [:]
  var waiting: [Int] = []
  var stopped: Set<Int> = []
  let pruner: any Pruner

  init(coordinator: SweepCoordinator) {
    self.coordinator = coordinator
    self.pruner = coordinator.plan.makePruner()
  }

  func serve(_ communicator: any Communicator) throws {
    let workers = communicator.size - 1
    while stopped.count < workers {
      let complete = try coordinator.step()
      try dispatch(communicator, complete: complete)
      if stopped.count == workers { break }
      let (source, bytes) = try communicator.receive(from: nil, tag: MPISweep.requestTag)
      try handle(try JSONDecoder().decode(MPISweep.WorkerMessage.self, from: Data(bytes)), from: source, communicator)
    }
  }

  private func dispatch(_ communicator: any Communicator, complete: Bool) throws {
    while let rank = waiting.first {
      if complete {
        try reply(.stop, to: rank, communicator)
        stopped.insert(rank)
      } else if let record = try storage.claimTrial(owner: "mpi-rank-\(rank)") {
        let boundary = (record.number / coordinator.plan.batchSize) * coordinator.plan.batchSize
        running[rank] = (record.number, try storage.allTrials().filter { $0.number < boundary })
        try reply(.assign(number: record.number, parameters: record.parameters), to: rank, communicator)
      } else {
        return
      }
      waiting.removeFirst()
    }
  }

  private func handle(_ message: MPISweep.WorkerMessage, from rank: Int, _ communicator: any Communicator) throws {
    switch message {
    case .request:
      waiting.append(rank)
    case .report(let number, let step, let values):
      try storage.setIntermediateValues(values, step: step, trial: number)
      try storage.recordHeartbeat(trial: number, owner: "mpi-rank-\(rank)", at: Date())
      let record = try storage.trial(number)
      let peers = running[rank]?.peers ?? []
      let prune = pruner.shouldPrune(record, others: peers, directions: coordinator.plan.directions)
      try reply(.decision(prune: prune), to: rank, communicator)
    case .result(let number, let state, let values, let error, let runID):
      running[rank] = nil
      if let runID { try storage.linkRun(runID, trial: number) }
      try storage.finishTrial(number, state: state, values: values, error: error, at: Date())
    }
  }

  private func reply(_ message: MPISweep.CoordinatorMessage, to rank: Int, _ communicator: any Communicator) throws {
    try communicator.send(Array(try JSONEncoder().encode(message)), to: rank, tag: MPISweep.replyTag)
  }

  /// Puts back the trials leased to ranks (after an MPI failure), under the same numbers.
  func requeueLeasedTrials() throws {
    for (_, entry) in running {
      try coordinator.prepare(try coordinator.study.askAgain(number: entry.number, leaseOwner: coordinator.owner))
    }
  }
}

/// A worker rank's reporter: sends each value to rank 0 and waits for the pruning decision.
private final class MessageTrialReporter: TrialReporter {
  let number: Int
  let communicator: any Communicator
  /// What this rank reported, for the pruned trial's last values.
  private(set) var record: TrialRecord
  private(set) var linkedRunID: String?

  init(number: Int, communicator: any Communicator) {
    self.number = number
    self.communicator = communicator
    record = TrialRecord(number: number)
  }

  func report(_ values: [Double], step: Int) throws -> Bool {
    record.recordIntermediate(values, step: step)
    try MPISweep.send(.report(number: number, step: step, values: values), communicator)
    guard case .decision(let prune) = try MPISweep.receive(communicator) else {
      throw SweepError("trial \(number) got no pruning decision from rank 0", hint: "all ranks must run the same kiln version")
    }
    return prune
  }

  /// Kept and sent to rank 0 with the result, which records the link.
  func linkRun(_ runID: String) throws { linkedRunID = runID }
}
