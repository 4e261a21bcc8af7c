import ArgumentParser
import Foundation
import KilnTracking
import KilnDistributed
import KilnPaths
import KilnConfiguration
import KilnTraining

/// `kiln train EXPERIMENT.yaml`: trains one experiment, alone or as one rank under mpirun.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train an experiment (data-parallel under mpirun), tracked, with checkpoints.",
    discussion: """
      Examples:
        kiln train experiments/adult-mlp.yaml
        kiln train experiments/adult-mlp.yaml --set training.optimizer.lr=3e-4 --set training.epochs=5
        kiln train --resume 3f2a9c1e            (continue a killed run from its last checkpoint)
        kiln train experiments/adult-mlp.yaml --nproc 2   (launches mpirun -np 2 itself)
        kiln train experiments/adult-mlp.yaml --hosts node1:2,node2:2   (4 ranks on two hosts)
      """)

  @Argument(help: "The experiment file (experiments/NAME.yaml). Not needed with --resume.")
  var experiment: String?

  @Option(name: .customLong("set"), help: ArgumentHelp("Override a key of the experiment file, e.g. training.optimizer.lr=3e-4.", valueName: "KEY=VALUE"))
  var overrides: [String] = []

  @Option(help: "Continue this killed or failed run from its last checkpoint.")
  var resume: String?

  @Option(help: "Launch N data-parallel processes with mpirun.")
  var nproc: Int?

  @Option(help: MPILauncher.hostsHelp)
  var hosts: String?

  @Option(help: "A name for the run (default: experiment and start time).")
  var name: String?

  @Flag(help: "Print only the final summary.")
  var quiet = false

  @Flag(help: "Print the result as JSON (progress goes to standard error).") var json = false

  /// For the resume tests: the process sends itself SIGKILL after this many optimizer steps,
  /// exactly as an out-of-memory killer or a scheduler would end it.
  @Option(help: ArgumentHelp("Kill this process with SIGKILL after N steps (testing resume).", visibility: .hidden))
  var killAfterSteps: Int?

  /// With `--kill-after-steps`: only this rank kills itself, as a host failing under one rank would.
  @Option(help: ArgumentHelp("With --kill-after-steps, kill only this rank (testing failures).", visibility: .hidden))
  var killRank: Int?

  /// Set by the launcher on its ranks: rank 0 tags the run with it, so the launcher finds the run
  /// to mark failed when a rank dies.
  @Option(help: ArgumentHelp("The launch this rank belongs to (set by --nproc and --hosts).", visibility: .hidden))
  var launchID: String?

  /// For the MPI failure tests: rank 0 throws after this many steps while the other ranks wait
  /// in the next allreduce, which must end the whole job rather than hang it.
  @Option(help: ArgumentHelp("Fail with an error after N steps (testing failure handling).", visibility: .hidden))
  var failAfterSteps: Int?

  func validate() throws {
    if experiment == nil && resume == nil {
      throw ValidationError("give an experiment file, or --resume RUN_ID")
    }
    _ = try MPILauncher.requested(hosts: hosts, nproc: nproc)
    if killRank != nil && killAfterSteps == nil { throw ValidationError("--kill-rank needs --kill-after-steps") }
    // Checked here, before mpirun starts ranks, as the tracker would check it on rank 0 only.
    if let name, let problem = Name.problem(with: name, kind: .run) {
      throw ValidationError("--name '\(name)' is not a valid run name: \(problem) (a run name is \(Name.rule))")
    }
  }

  func run() throws {
    if !MPILaunch.isActive(in: ProcessInfo.processInfo.environment), let launcher = try MPILauncher.requested(hosts: hosts, nproc: nproc) {
      try launch(launcher)
      return
    }
    let usesMPI = MPILaunch.isActive(in: ProcessInfo.processInfo.environment)
    var world: MPICommunicator?
    do {
      let communicator: Communicator
      if usesMPI {
        let mpi = try MPICommunicator.world()
        world = mpi
        communicator = mpi
      } else {
        communicator = LocalCommunicator()
      }
      let layout = ProjectLayout.discover()
      let progress: ProgressReporter.Mode = quiet ? .quiet : (standardOutputIsTerminal ? .terminal : .plain)
      var options = TrainingOptions(progress: progress, runName: name, commandLine: CommandLine.arguments)
      options.progressToStandardError = json
      if let launchID { options.tags[TrainCommand.launchTag] = launchID }
      if let killAfterSteps, killRank == nil || killRank == communicator.rank {
        options.callbacksOnEveryRank.append(SelfKill(afterSteps: killAfterSteps))
      }
      if let failAfterSteps { options.extraCallbacks.append(InjectedFailure(afterSteps: failAfterSteps)) }
      let result: TrainingResult
      if let resume {
        result = try Trainer.resume(runID: resume, layout: layout, communicator: communicator, options: options)
      } else if let experiment {
        let configuration = try ExperimentConfiguration.load(file: URL(fileURLWithPath: experiment), overrides: overrides)
        result = try Trainer.train(configuration, layout: layout, communicator: communicator, options: options)
      } else {
        throw ValidationError("give an experiment file, or --resume RUN_ID")
      }
      if communicator.isRoot {
        let metrics = result.finalValidationMetrics.sorted { $0.key < $1.key }
          .map { "\($0.key) \(String(format: "%.4f", $0.value))" }.joined(separator: "  ")
        try emit(Outcome(lines: ["run \(result.runID): \(metrics)", "checkpoint \(result.checkpoint.path)"],
                         facts: ["run_id": .string(result.runID), "checkpoint": .string(result.checkpoint.path),
                                 "validation_metrics": .object(result.finalValidationMetrics.mapValues { .number(Double($0)) })]), json: json)
      }
      world?.finalize()
    } catch {
      if let world, world.size > 1 {
        // Another rank may be waiting in a collective: end the whole job rather than hang.
        FileHandle.standardError.write(Data("error on rank \(world.rank) of \(world.size): \(error)\n".utf8))
        world.abort(code: 1)
      }
      throw error
    }
  }

  /// The tag that ties a run to the launch that started its ranks.
  static let launchTag = "launch_id"

  /// Re-runs this command under `mpirun` (every argument but --nproc and --hosts, plus the
  /// launch's id). When a rank dies, names it and its host, marks the run failed so that
  /// `--resume` continues it, and says how.
  private func launch(_ launcher: MPILauncher) throws {
    let launchID = UUID().uuidString.lowercased()
    let completion = try launcher.run(rankArguments: MPILauncher.rankArguments() + ["--launch-id", launchID])
    guard completion.status != 0 else { return }
    // mpirun's report can be lost (Open MPI 4 sometimes drops a rank's help message); the job
    // has still failed, and its run is still marked so.
    let what = completion.failure?.description ?? "a rank failed (mpirun exited with status \(completion.status))"
    var hint: String
    do {
      let again = hosts.map { "--hosts \($0)" } ?? "--nproc \(launcher.processes)"
      hint = try markFailed(launchID: launchID, because: what)
        .map { "run \($0) is marked failed; continue it from its last checkpoint with: kiln train --resume \($0) \(again)" }
        ?? "no run was started; the rank's own messages above say more"
    } catch {
      hint = "the run could not be marked failed (\(error)); kiln runs list marks it killed once its heartbeat stops"
    }
    throw TrainingError(.distributed, "\(what); mpirun ended the job", hint: hint)
  }

  /// Marks the run of this launch failed with `reason`, if it is still running.
  /// - Returns: its id, or nil when the launch started no run.
  private func markFailed(launchID: String, because reason: String) throws -> String? {
    let tracker = try Tracker(layout: ProjectLayout.discover())
    let runID: String
    if let resume {
      runID = try tracker.run(id: resume).id
    } else if let run = try tracker.store.runs(matching: RunQuery(tags: [TrainCommand.launchTag: launchID], includeDeleted: true)).first {
      runID = run.id
    } else {
      return nil
    }
    if try tracker.run(id: runID).status == .running {
      try tracker.store.endRun(runID: runID, status: .failed, at: Date(), details: ["reason": .string(reason)], generation: nil)
    }
    return runID
  }
}

/// Ends the process with SIGKILL after a number of steps: no cleanup, no flush, as in a real crash.
final class SelfKill: TrainingCallback {
  let steps: Int
  init(afterSteps steps: Int) { self.steps = steps }

  func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    if case .batchEnded(let batch) = event, batch.globalStep >= steps { kill(getpid(), SIGKILL) }
    return .proceed
  }
}

/// Throws after a number of steps, as a bug or an I/O error on rank 0 would.
final class InjectedFailure: TrainingCallback {
  let steps: Int
  init(afterSteps steps: Int) { self.steps = steps }

  func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    if case .batchEnded(let batch) = event, batch.globalStep >= steps {
      throw TrainingError(.distributed, "injected failure after step \(batch.globalStep)")
    }
    return .proceed
  }
}
