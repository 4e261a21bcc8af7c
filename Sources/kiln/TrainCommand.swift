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
      """)

  @Argument(help: "The experiment file (experiments/NAME.yaml). Not needed with --resume.")
  var experiment: String?

  @Option(name: .customLong("set"), help: ArgumentHelp("Override a key of the experiment file, e.g. training.optimizer.lr=3e-4.", valueName: "KEY=VALUE"))
  var overrides: [String] = []

  @Option(help: "Continue this killed or failed run from its last checkpoint.")
  var resume: String?

  @Option(help: "Launch N data-parallel processes with mpirun.")
  var nproc: Int?

  @Option(help: "A name for the run (default: experiment and start time).")
  var name: String?

  @Flag(help: "Print only the final summary.")
  var quiet = false

  @Flag(help: "Print the result as JSON (progress goes to standard error).") var json = false

  /// For the resume tests: the process sends itself SIGKILL after this many optimizer steps,
  /// exactly as an out-of-memory killer or a scheduler would end it.
  @Option(help: ArgumentHelp("Kill this process with SIGKILL after N steps (testing resume).", visibility: .hidden))
  var killAfterSteps: Int?

  /// For the MPI failure tests: rank 0 throws after this many steps while the other ranks wait
  /// in the next allreduce, which must end the whole job rather than hang it.
  @Option(help: ArgumentHelp("Fail with an error after N steps (testing failure handling).", visibility: .hidden))
  var failAfterSteps: Int?

  func validate() throws {
    if experiment == nil && resume == nil {
      throw ValidationError("give an experiment file, or --resume RUN_ID")
    }
    if let nproc, nproc < 1 { throw ValidationError("--nproc must be at least 1, found \(nproc)") }
    // Checked here, before mpirun starts ranks, as the tracker would check it on rank 0 only.
    if let name, let problem = Name.problem(with: name, kind: .run) {
      throw ValidationError("--name '\(name)' is not a valid run name: \(problem) (a run name is \(Name.rule))")
    }
  }

  func run() throws {
    if let nproc, nproc > 1, !MPILaunch.isActive(in: ProcessInfo.processInfo.environment) {
      try launchUnderMPI(processes: nproc)
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
      if let killAfterSteps { options.extraCallbacks.append(SelfKill(afterSteps: killAfterSteps)) }
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

  /// Re-runs this command under `mpirun -np N`, passing every argument but --nproc.
  ///
  /// The ranks are not pinned to cores and yield the core while they wait in a collective: on a
  /// machine shared with other work, a pinned rank cannot leave a busy core and a spinning one takes
  /// time from whatever shares its core, and every step waits for the slowest rank
  /// (BENCHMARKS.md, `mpi_scaling`).
  ///
  /// Each launch gets its own Open MPI session directory: jobs started at the same time under one
  /// shared base race when the first to finish removes the base the other is still filling.
  private func launchUnderMPI(processes: Int) throws {
    let session = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-mpi-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: session, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: session) }
    var arguments = ["mpirun", "--oversubscribe", "--bind-to", "none", "--mca", "mpi_yield_when_idle", "1",
                     "--mca", "orte_tmpdir_base", session.path, "-np", String(processes)]
    if getuid() == 0 { arguments.append("--allow-run-as-root") }
    arguments.append(URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path)
    var skipNext = false
    for argument in CommandLine.arguments.dropFirst() {
      if skipNext { skipNext = false; continue }
      if argument == "--nproc" { skipNext = true; continue }
      if argument.hasPrefix("--nproc=") { continue }
      arguments.append(argument)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    do {
      try process.run()
    } catch {
      throw ValidationError("cannot start mpirun (\(error)); install openmpi-bin or run without --nproc")
    }
    process.waitUntilExit()
    if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
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
