import Foundation
import KilnPostgresTestServer

/// Two hosts on this machine for the multi-host tests, made by `Tests/Support/TwoHosts/two-hosts`:
/// network namespaces joined by a veth pair (10.77.0.1 and 10.77.0.2 on `eth0`), each with a
/// host name and a private folder of its own, and the folder `root` (where a test makes its
/// project) seen at the same path by both, as a network filesystem would be. Open MPI starts
/// ranks on them through `rsh-agent`, and they talk over TCP on `eth0` only.
///
/// `remove()` (called by the tests in a `defer`, so also when they fail) ends every process left
/// on the hosts and deletes them. Needs root, as CI and the test machine have.
final class TwoHosts {
  static let addresses = ["10.77.0.1", "10.77.0.2"]
  static let subnet = "10.77.0.0/24"

  /// The shared folder; `root/local` is each host's private folder, seen from inside it.
  let root: URL
  /// The namespaces are `prefix-a` and `prefix-b`.
  let prefix: String
  private var removed = false

  static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Support/TwoHosts")

  init() throws {
    var template = Array("/tmp/kiln-2h-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw TwoHostsError("cannot make a temporary folder: \(String(cString: strerror(errno)))") }
    root = URL(fileURLWithPath: String(cString: made), isDirectory: true)
    prefix = "kiln-" + UUID().uuidString.prefix(8).lowercased()
    let up = try runCommand(TwoHosts.scripts.appendingPathComponent("two-hosts"), ["up", root.path, prefix])
    guard up.status == 0 else {
      remove()
      throw TwoHostsError("two-hosts up failed (\(up.status)): \(up.stderr)")
    }
  }

  deinit { remove() }

  /// Ends every process on the two hosts, deletes them and the shared folder.
  func remove() {
    guard !removed else { return }
    removed = true
    _ = try? runCommand(TwoHosts.scripts.appendingPathComponent("two-hosts"), ["down", root.path, prefix])
    try? FileManager.default.removeItem(at: root)
  }

  /// What Open MPI needs to start ranks on these hosts and keep their traffic on the veth pair.
  var mpiEnvironment: [String: String] {
    ["OMPI_MCA_plm_rsh_agent": TwoHosts.scripts.appendingPathComponent("rsh-agent").path,
     "OMPI_MCA_btl": "tcp,self", "OMPI_MCA_btl_tcp_if_include": "eth0", "OMPI_MCA_oob_tcp_if_include": "eth0",
     "TWO_HOSTS_ROOT": root.path]
  }

  /// Runs `command` on the host at `address` in `directory`, with `mpiEnvironment` and `environment`.
  func run(on address: String, _ command: [String], in directory: URL,
           environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    try runCommand(TwoHosts.scripts.appendingPathComponent("enter"), [root.path, address] + command, in: directory,
                   environment: mpiEnvironment.merging(environment) { $1 })
  }

  /// A PostgreSQL server on the first host, listening on its veth address for both hosts.
  func startDatabase() throws -> PostgresTestServer {
    try PostgresTestServer(network: .init(address: TwoHosts.addresses[0], clientSubnet: TwoHosts.subnet, namespace: "\(prefix)-a"))
  }
}

struct TwoHostsError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = "two test hosts: " + description }
}
