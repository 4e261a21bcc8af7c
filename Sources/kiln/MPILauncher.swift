import ArgumentParser
import Foundation

/// Starts a command's ranks with `mpirun`: N processes on this machine (`--nproc N`), or on the
/// hosts of `--hosts` (Open MPI starts the remote ones over ssh, or its `plm_rsh_agent`).
///
/// The ranks are not pinned to cores and yield the core while they wait in a collective: on a
/// machine shared with other work, a pinned rank cannot leave a busy core and a spinning one takes
/// time from whatever shares its core, and every step waits for the slowest rank
/// (BENCHMARKS.md, `mpi_scaling`).
///
/// On this machine each launch gets its own Open MPI session directory: jobs started at the same
/// time under one shared base race when the first to finish removes the base the other is still
/// filling. Across hosts each host keeps its own (under its `TMPDIR`), and Kiln's and OpenBLAS's
/// environment (`KILN_*`, `OPENBLAS_*`: the store, the BLAS core) is forwarded with `-x`, since a
/// remote rank starts in a fresh login environment.
struct MPILauncher {
  let processes: Int
  let hosts: MPIHosts?

  /// What a finished `mpirun` left: its exit status and the failed rank it named.
  struct Completion {
    let status: Int32
    let failure: MPIJobFailure?
  }

  /// The host of `rank`: as `--hosts` places it, or this machine.
  func host(ofRank rank: Int) -> String? {
    guard let hosts else { return ProcessInfo.processInfo.hostName }
    return hosts.host(ofRank: rank)
  }

  /// `mpirun`'s arguments for running `executable rankArguments` on every rank.
  func mpirunArguments(executable: String, rankArguments: [String], sessionDirectory: URL?,
                       environment: [String: String], asRoot: Bool) -> [String] {
    var arguments = ["mpirun", "--bind-to", "none", "--mca", "mpi_yield_when_idle", "1"]
    if let hosts {
      arguments += ["--host", hosts.mpirunHostList]
    } else {
      arguments.append("--oversubscribe")
    }
    if let sessionDirectory { arguments += ["--mca", "orte_tmpdir_base", sessionDirectory.path] }
    arguments += ["-np", String(processes)]
    for name in environment.keys.sorted() where name.hasPrefix("KILN_") || name.hasPrefix("OPENBLAS_") {
      arguments += ["-x", name]
    }
    if asRoot { arguments.append("--allow-run-as-root") }
    return arguments + [executable] + rankArguments
  }

  /// Runs the ranks and waits for them; `mpirun`'s standard error passes through and is read
  /// for the rank that ended a failed job.
  func run(rankArguments: [String]) throws -> Completion {
    var session: URL?
    if hosts == nil {
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-mpi-\(UUID().uuidString.prefix(8))")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      session = folder
    }
    defer { if let session { try? FileManager.default.removeItem(at: session) } }
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = mpirunArguments(executable: executable, rankArguments: rankArguments, sessionDirectory: session,
                                        environment: ProcessInfo.processInfo.environment, asRoot: getuid() == 0)
    let errors = Pipe()
    process.standardError = errors
    let report = StandardErrorTee(errors.fileHandleForReading)
    do {
      try process.run()
    } catch {
      throw ValidationError("cannot start mpirun (\(error)); install openmpi-bin or run without --nproc and --hosts")
    }
    process.waitUntilExit()
    let text = report.finish()
    guard process.terminationStatus != 0 else { return Completion(status: 0, failure: nil) }
    return Completion(status: process.terminationStatus, failure: MPIJobFailure.parse(text, hostOfRank: host(ofRank:)))
  }
}

extension MPILauncher {
  /// `--hosts`' help, the same for every command that launches its ranks on hosts.
  static let hostsHelp = ArgumentHelp(
    "Launch the ranks on these hosts with mpirun (over ssh): each host's name and rank count, e.g. node1:2,node2:2. The project folder and kiln must be at the same path on every host.",
    valueName: "HOST[:RANKS],...")

  /// The launch a command's `--hosts` (and `--nproc`, where the command has it) asks for, or nil
  /// to run in this process. Commands call it from `validate()` too, so that every mistake is a
  /// usage error (a `ValidationError` naming it) before mpirun starts.
  static func requested(hosts: String?, nproc: Int? = nil) throws -> MPILauncher? {
    if let nproc, nproc < 1 { throw ValidationError("--nproc must be at least 1, found \(nproc)") }
    if let hosts {
      let parsed = try MPIHosts(parsing: hosts)
      if let nproc, nproc != parsed.rankCount {
        throw ValidationError("--nproc \(nproc) does not match --hosts \(hosts), which gives \(parsed.rankCount) ranks; leave out --nproc or make them agree")
      }
      return MPILauncher(processes: parsed.rankCount, hosts: parsed)
    }
    if let nproc, nproc > 1 { return MPILauncher(processes: nproc, hosts: nil) }
    return nil
  }

  /// This process's arguments for its ranks: every one but `--nproc` and `--hosts` and their values.
  static func rankArguments(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> [String] {
    var rankArguments: [String] = []
    var skipNext = false
    for argument in arguments {
      if skipNext { skipNext = false; continue }
      if argument == "--nproc" || argument == "--hosts" { skipNext = true; continue }
      if argument.hasPrefix("--nproc=") || argument.hasPrefix("--hosts=") { continue }
      rankArguments.append(argument)
    }
    return rankArguments
  }
}

/// Copies a pipe to standard error as it arrives and keeps the last 64 KiB for reading after.
private final class StandardErrorTee: @unchecked Sendable {
  private let lock = NSLock()
  private var kept = Data()
  private let done = DispatchSemaphore(value: 0)
  static let limit = 65_536

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        FileHandle.standardError.write(chunk)
        lock.withLock {
          kept.append(chunk)
          if kept.count > StandardErrorTee.limit { kept.removeFirst(kept.count - StandardErrorTee.limit) }
        }
      }
      done.signal()
    }
  }

  /// Waits for the end of the pipe (at most 10 s after mpirun's exit, should a leftover
  /// process hold it open) and returns what was kept.
  func finish() -> String {
    _ = done.wait(timeout: .now() + 10)
    return lock.withLock { String(decoding: kept, as: UTF8.self) }
  }
}
