import Foundation
import KilnPostgres

/// A throwaway PostgreSQL server for the tests: a cluster made by `initdb` in a temporary folder,
/// started by `pg_ctl` listening only on a Unix socket in that folder, stopped and deleted when
/// the test process exits (whether its tests passed or failed).
///
/// `initdb` and the server refuse to run as root, so as root (as in CI) they run as the
/// `postgres` user, the folder owned by that user. They are started with util-linux's `setpriv`
/// (which only changes the user and groups) rather than `runuser`, whose PAM session and
/// terminal handling stop a test process that runs in a background job with a terminal. When the server cannot be
/// made or started, `shared()` throws the reason, and the tests that need it fail with it.
///
/// A server for several hosts (`init(network:)`) also listens on TCP at one address, admits
/// clients from one subnet, and runs inside a network namespace; its owner stops it with `stop()`.
public final class PostgresTestServer: @unchecked Sendable {
  /// Where a server for several hosts listens, whom it admits, and the network namespace it runs in.
  public struct Network: Sendable {
    public var address: String
    public var clientSubnet: String
    public var namespace: String

    public init(address: String, clientSubnet: String, namespace: String) {
      self.address = address
      self.clientSubnet = clientSubnet
      self.namespace = namespace
    }
  }

  /// The cluster's folder: the data directory, the server's log and its socket.
  public let folder: URL
  public let network: Network?
  let binaries: URL
  let runAsUser: String?
  private let lock = NSLock()
  private var databases: [String: PostgresURL] = [:]
  private var databaseNames: [String: String] = [:]

  /// The one server of this process, started on first use.
  public static func shared() throws -> PostgresTestServer {
    try startup.get()
  }

  private static let startup: Result<PostgresTestServer, Error> = Result {
    let server = try PostgresTestServer()
    running = server
    atexit { PostgresTestServer.running?.stop() }
    return server
  }

  nonisolated(unsafe) private static var running: PostgresTestServer?

  /// The URL of the superuser's maintenance database (`postgres`).
  public var administrationURL: PostgresURL { get throws { try url(database: "postgres") } }

  /// The URL of `database` on this server, over its socket.
  public func url(database: String) throws -> PostgresURL {
    try PostgresURL("postgresql://kiln@/\(database)?host=\(folder.path)")
  }

  /// The URL of `key`'s database (`database(for:)`) over TCP at the network address
  /// (`init(network:)`), as other hosts reach it.
  public func networkURL(for key: String) throws -> PostgresURL {
    guard let network else { throw PostgresTestServerError("this server listens on its Unix socket only") }
    _ = try database(for: key)
    guard let name = lock.withLock({ databaseNames[key] }) else { throw PostgresTestServerError("no database for \(key)") }
    return try PostgresURL("postgresql://kiln@\(network.address):5432/\(name)")
  }

  /// A database of its own for `key` (one per test store folder), created on first use.
  public func database(for key: String) throws -> PostgresURL {
    try lock.withLock {
      if let url = databases[key] { return url }
      let name = "kiln_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
      // The name is made here of hexadecimal digits: no user text reaches the statement.
      try PostgresConnection(url: administrationURL).execute(sql: "CREATE DATABASE \(name)")
      let url = try self.url(database: name)
      databases[key] = url
      databaseNames[key] = name
      return url
    }
  }

  /// Starts a server of its own: on its Unix socket only, or also on TCP in `network`.
  public init(network: Network? = nil) throws {
    self.network = network
    binaries = try PostgresTestServer.findBinaries()
    runAsUser = getuid() == 0 ? "postgres" : nil
    // Short, because a Unix socket's path is limited to about 100 bytes.
    var template = Array("/tmp/kiln-pg-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
      throw PostgresTestServerError("cannot make a temporary folder for the test server: \(String(cString: strerror(errno)))")
    }
    folder = URL(fileURLWithPath: String(cString: made), isDirectory: true)
    if let user = runAsUser {
      guard let entry = getpwnam(user) else {
        throw PostgresTestServerError("running as root, the test server runs as the '\(user)' user, and there is none: install the postgresql package (scripts/install-deps)")
      }
      guard chown(folder.path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
        throw PostgresTestServerError("cannot give \(folder.path) to '\(user)': \(String(cString: strerror(errno)))")
      }
    }
    let data = folder.appendingPathComponent("data").path
    do {
      try run("initdb", ["-D", data, "-U", "kiln", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
      var listen = "''"
      if let network {
        listen = network.address
        let rule = "host all all \(network.clientSubnet) trust\n"
        let hba = try FileHandle(forWritingTo: URL(fileURLWithPath: data).appendingPathComponent("pg_hba.conf"))
        try hba.seekToEnd()
        try hba.write(contentsOf: Data(rule.utf8))
        try hba.close()
      }
      try run("pg_ctl", ["-D", data, "-l", folder.appendingPathComponent("server.log").path, "-w", "-t", "60",
                         "-o", "-k \(folder.path) -c listen_addresses=\(listen) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                         "start"])
    } catch {
      let log = (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
      try? FileManager.default.removeItem(at: folder)
      throw PostgresTestServerError("\(error)" + (log.isEmpty ? "" : "\nserver log:\n\(log)"))
    }
  }

  /// Stops the server (an immediate shutdown: SIGQUIT to the postmaster, whose id is the first
  /// line of `postmaster.pid`), waits for it to exit and deletes its folder.
  public func stop() {
    let pidFile = folder.appendingPathComponent("data/postmaster.pid")
    if let text = try? String(contentsOf: pidFile, encoding: .utf8),
       let line = text.split(separator: "\n").first, let pid = pid_t(line.trimmingCharacters(in: .whitespaces)) {
      kill(pid, SIGQUIT)
      for _ in 0..<1_000 where kill(pid, 0) == 0 { usleep(10_000) }
    }
    try? FileManager.default.removeItem(at: folder)
  }

  /// The newest PostgreSQL's `bin` folder under /usr/lib/postgresql (Debian's layout).
  static func findBinaries() throws -> URL {
    let root = URL(fileURLWithPath: "/usr/lib/postgresql", isDirectory: true)
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
      .compactMap { name in Double(name).map { (version: $0, name: name) } }
      .filter { FileManager.default.isExecutableFile(atPath: root.appendingPathComponent("\($0.name)/bin/initdb").path) }
      .sorted { $0.version > $1.version }
    guard let newest = versions.first else {
      throw PostgresTestServerError("no PostgreSQL server under \(root.path) (no */bin/initdb): install the postgresql package (scripts/install-deps)")
    }
    return root.appendingPathComponent("\(newest.name)/bin", isDirectory: true)
  }

  /// Runs one of the server's programs (as `runAsUser` when set) and throws its output when it fails.
  ///
  /// Spawned and waited for with `posix_spawn` and `waitpid` rather than `Process`, whose wait
  /// can miss the exit of a program that leaves a daemon behind (`pg_ctl start`). The output goes
  /// to a file, which the daemon does not hold open.
  @discardableResult
  func run(_ program: String, _ arguments: [String]) throws -> String {
    let executable = binaries.appendingPathComponent(program).path
    var command: [String]
    if let user = runAsUser {
      command = ["/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(user)", "--init-groups", "--reset-env", executable] + arguments
    } else {
      command = [executable] + arguments
    }
    if let network { command = ["/usr/sbin/ip", "netns", "exec", network.namespace] + command }
    let outputFile = folder.appendingPathComponent("\(program).out").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var pointers = command.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, command[0], &actions, nil, &pointers, environ)
    guard spawned == 0 else {
      throw PostgresTestServerError("cannot start \(command[0]): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
    // WIFEXITED and WEXITSTATUS are macros: exited normally when the low 7 bits are 0.
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
      throw PostgresTestServerError("\(program) \(arguments.joined(separator: " ")) failed (wait status \(status)):\n\(text)")
    }
    return text
  }
}

/// Why the test server could not be made or started.
public struct PostgresTestServerError: Error, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = "the PostgreSQL test server: " + description }
}
