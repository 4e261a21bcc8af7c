import ArgumentParser

/// The hosts of a multi-host job, from `--hosts NAME[:RANKS],…`: each host's name (a host name or
/// an IPv4 address, as `mpirun --host` takes it) and how many ranks it runs. Ranks fill the hosts
/// in the order given, as `mpirun` places them by slot: with `a:2,b:1`, ranks 0 and 1 run on a
/// and rank 2 on b.
struct MPIHosts: Equatable {
  struct Host: Equatable {
    let name: String
    let ranks: Int
  }

  let hosts: [Host]

  static let maximumRanksPerHost = 1_024

  /// Reads `--hosts`; every problem is a `ValidationError` naming the entry and what to write.
  init(parsing text: String) throws {
    let entries = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    var hosts: [Host] = []
    for entry in entries {
      let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard !entry.isEmpty, parts.count <= 2 else {
        throw ValidationError("--hosts '\(text)': '\(entry)' is not a host; write NAME or NAME:RANKS, entries separated by commas (e.g. node1:2,node2:2)")
      }
      let name = parts[0]
      if let problem = MPIHosts.problem(withName: name) {
        throw ValidationError("--hosts '\(text)': '\(name)' is not a host name: \(problem)")
      }
      var ranks = 1
      if parts.count == 2 {
        guard let count = Int(parts[1]), (1...MPIHosts.maximumRanksPerHost).contains(count) else {
          throw ValidationError("--hosts '\(text)': the rank count '\(parts[1])' of \(name) must be a whole number from 1 to \(MPIHosts.maximumRanksPerHost)")
        }
        ranks = count
      }
      if hosts.contains(where: { $0.name == name }) {
        throw ValidationError("--hosts '\(text)': \(name) is named twice; give each host once with its rank count (\(name):N)")
      }
      hosts.append(Host(name: name, ranks: ranks))
    }
    self.hosts = hosts
  }

  /// Why `name` cannot be a host name (letters, digits, '-' and '.', as in DNS names and IPv4
  /// addresses), or nil.
  static func problem(withName name: String) -> String? {
    if name.isEmpty { return "it is empty" }
    if name.count > 253 { return "it is longer than 253 characters" }
    if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".")) }) {
      return "it contains '\(bad)' (use letters, digits, '-' and '.')"
    }
    if name.hasPrefix("-") || name.hasPrefix(".") || name.hasSuffix(".") { return "it begins with '-' or '.', or ends with '.'" }
    return nil
  }

  /// The ranks of the whole job.
  var rankCount: Int { hosts.reduce(0) { $0 + $1.ranks } }

  /// `mpirun --host`'s form: `a:2,b:1`.
  var mpirunHostList: String { hosts.map { "\($0.name):\($0.ranks)" }.joined(separator: ",") }

  /// The host rank `rank` runs on, or nil outside the job.
  func host(ofRank rank: Int) -> String? {
    var first = 0
    for host in hosts {
      if rank >= first && rank < first + host.ranks { return host.name }
      first += host.ranks
    }
    return nil
  }
}
