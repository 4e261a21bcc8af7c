import ArgumentParser
import Foundation
import KilnConfiguration
import KilnTuning

/// `kiln sweep`: hyperparameter sweeps over an experiment's `sweep:` block.
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run, resume and show hyperparameter sweeps (each trial is a tracked child run).",
    subcommands: [Start.self, Show.self, Worker.self],
    defaultSubcommand: Start.self
  )

  struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "run",
      abstract: "Sweep EXPERIMENT.yaml (or continue a sweep with --resume).",
      discussion: """
        Trials are sampled in generations of --batch-size from a fixed history, so with the \
        experiment's seed the trials and their results do not depend on --parallel. A trial whose \
        worker died is run again under the same number; --resume continues a sweep after a crash \
        without repeating finished trials.
        """)

    @Argument(help: "The experiment file with a sweep: block.") var experiment: String?
    @Option(help: "The number of trials (default: the sweep block's).") var trials: Int?
    @Option(help: "Worker processes running trials at once.") var parallel: Int = 1
    @Option(help: "Trials per sampling generation (fixes the results for any --parallel).") var batchSize: Int = 4
    @Option(name: .customLong("set"), parsing: .unconditionalSingleValue,
            help: "Override a configuration value for every trial: KEY=VALUE (repeatable).")
    var overrides: [String] = []
    @Option(help: "Continue the sweep with this run id instead of starting one.") var resume: String?
    @Option(help: MPILauncher.hostsHelp) var hosts: String?
    @Flag(help: "Print the summary as JSON (progress goes to standard error).") var json = false

    func validate() throws {
      guard (experiment == nil) != (resume == nil) else {
        throw ValidationError("give either EXPERIMENT.yaml or --resume SWEEP_RUN_ID")
      }
      guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1, not \(parallel)") }
      guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
      if let trials, trials < 1 { throw ValidationError("--trials must be at least 1, not \(trials)") }
      if resume != nil, !overrides.isEmpty { throw ValidationError("--set cannot change a sweep on --resume") }
      if try MPILauncher.requested(hosts: hosts) != nil, parallel != 1 {
        throw ValidationError("--parallel \(parallel) does not apply with --hosts: rank 0 coordinates and every other rank trains trials; give the ranks in --hosts")
      }
    }

    func run() throws {
      let layout = ProjectLayout.discover()
      if !SweepWorkflow.isMPILaunch(ProcessInfo.processInfo.environment), let launcher = try MPILauncher.requested(hosts: hosts) {
        try launch(launcher)
        return
      }
      if SweepWorkflow.isMPILaunch(ProcessInfo.processInfo.environment) {
        // Rank 0 coordinates and prints the summary; the other ranks train trials.
        if let session = try SweepWorkflow.runUnderMPI(layout: layout, open: { try openSession(layout: layout) }) {
          let summary = try SweepSummary(session: session)
          try emit(summary, json: json)
          say("report: \(try SweepReport.write(summary).path)")
        }
        return
      }
      let session = try openSession(layout: layout)
      say("sweep \(session.sweepRunID): \(session.plan.trials) trials, \(parallel) worker\(parallel == 1 ? "" : "s")")
      try SweepWorkflow.run(
        session, parallel: parallel, objective: TrainingSweepObjective(session: session),
        workerArguments: [SweepCommand.executablePath(), "sweep", "worker", "--project", layout.root.path,
                          "--coordinator", String(getpid()), session.sweepRunID],
        progress: say)
      let summary = try SweepSummary(session: session)
      if !json { print("") }
      try emit(summary, json: json)
      say("report: \(try SweepReport.write(summary).path)")
    }

    /// Re-runs this command under `mpirun` on the hosts (every argument but --hosts): rank 0
    /// coordinates and the others train trials. When a rank dies, names it and its host; the
    /// trials finished so far are kept, and `--resume` continues the sweep.
    private func launch(_ launcher: MPILauncher) throws {
      let completion = try launcher.run(rankArguments: MPILauncher.rankArguments())
      guard completion.status != 0 else { return }
      let what = completion.failure?.description ?? "a rank failed (mpirun exited with status \(completion.status))"
      let again = hosts.map { " --hosts \($0)" } ?? ""
      throw SweepError("\(what); mpirun ended the sweep",
                       hint: "finished trials are kept; continue with: kiln sweep --resume \(resume ?? "SWEEP_RUN_ID")\(again) "
                         + "(kiln runs list shows the sweep's run id)")
    }

    /// A progress line: on standard output, or on standard error when standard output carries JSON.
    private func say(_ line: String) {
      if json {
        FileHandle.standardError.write(Data("\(line)\n".utf8))
      } else {
        print(line)
        fflush(stdout)
      }
    }

    func openSession(layout: ProjectLayout) throws -> SweepSession {
      if let resume { return try SweepSession.open(sweepRunID: resume, layout: layout, trials: trials) }
      guard let experiment else { throw ValidationError("give an experiment file, or --resume SWEEP_RUN_ID") }
      return try SweepWorkflow.start(experimentFile: URL(fileURLWithPath: experiment), overrides: overrides,
                                     trials: trials, batchSize: batchSize, layout: layout,
                                     commandLine: CommandLine.arguments)
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a sweep: trials, the best trial and its configuration, parameter importance.")

    @Argument(help: "The sweep's run id (or a unique prefix).") var id: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
      let summary = try SweepSummary(session: try SweepSession.open(sweepRunID: id, layout: ProjectLayout.discover()))
      try emit(summary, json: json)
    }
  }

  /// A worker process started by `kiln sweep --parallel K` (not for direct use).
  struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run trials of a sweep as a worker process.", shouldDisplay: false)

    @Argument(help: "The sweep's run id.") var id: String
    @Option(help: "The project root.") var project: String
    @Option(help: "The coordinator's process id; the worker stops when it is gone.") var coordinator: Int32?

    func run() throws {
      let session = try SweepSession.open(sweepRunID: id, layout: ProjectLayout(root: URL(fileURLWithPath: project)))
      try session.runWorker(TrainingSweepObjective(session: session), coordinatorProcessID: coordinator)
    }
  }

  /// This executable's absolute path, for starting worker processes.
  static func executablePath() -> String {
    let path = CommandLine.arguments[0]
    if path.hasPrefix("/") { return path }
    if path.contains("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
    return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? path
  }
}
