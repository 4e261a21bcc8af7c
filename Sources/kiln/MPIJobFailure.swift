/// The rank that ended an `mpirun` job, and how, as `mpirun` reports it on standard error
/// (Open MPI 4: "process rank 1 with PID 812 on node b exited on signal 9 (Killed)", the
/// "Process name: [[3733,1],1] / Exit code: 3" block, or "MPI_ABORT was invoked on rank 0").
struct MPIJobFailure: Equatable {
  enum Cause: Equatable {
    case signal(number: Int, name: String)
    case exitCode(Int)
    case abort(errorCode: Int)
  }

  let rank: Int
  /// The host as `mpirun` names it, or, where its report names none, as the placement gives it.
  let host: String?
  let cause: Cause

  /// The first failure `mpirun` reports in `text`, its host filled in by `hostOfRank` where
  /// the report names none; nil when the text names no rank.
  static func parse(_ text: String, hostOfRank: (Int) -> String?) -> MPIJobFailure? {
    if let match = text.firstMatch(of: #/process rank (\d+) with PID \d+ on node (\S+) exited on signal (\d+) \(([^)]*)\)/#),
       let rank = Int(match.1), let signal = Int(match.3) {
      return MPIJobFailure(rank: rank, host: String(match.2), cause: .signal(number: signal, name: String(match.4)))
    }
    if let match = text.firstMatch(of: #/Process name: \[\[\d+,\d+\],(\d+)\]\s+Exit code:\s+(\d+)/#),
       let rank = Int(match.1), let code = Int(match.2) {
      return MPIJobFailure(rank: rank, host: hostOfRank(rank), cause: .exitCode(code))
    }
    if let match = text.firstMatch(of: #/MPI_ABORT was invoked on rank (\d+) in communicator \S+\s+with errorcode (\d+)/#),
       let rank = Int(match.1), let code = Int(match.2) {
      return MPIJobFailure(rank: rank, host: hostOfRank(rank), cause: .abort(errorCode: code))
    }
    return nil
  }

  /// "rank 1 on host b was killed by signal 9 (Killed)".
  var description: String {
    let place = "rank \(rank)" + (host.map { " on host \($0)" } ?? "")
    switch cause {
    case .signal(let number, let name): return "\(place) was killed by signal \(number) (\(name))"
    case .exitCode(let code): return "\(place) exited with status \(code)"
    case .abort(let code): return "\(place) stopped the job (MPI_Abort, error code \(code))"
    }
  }
}
