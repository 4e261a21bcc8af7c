import Foundation
import KilnPostgresTestServer
import KilnTracking
import KilnTraining
import Testing

/// Training and sweeps across two hosts (`TwoHosts`: network namespaces on this machine, ranks
/// started by Open MPI through an rsh agent, talking over TCP), both hosts writing to a
/// PostgreSQL store on the first host, reached over the veth addresses. Each result must be a
/// single process's.
@Suite struct TwoHostsCLITests {
  static let hostList = "\(TwoHosts.addresses[0]):1,\(TwoHosts.addresses[1]):1"
  static var kiln: String { productsDirectory().appendingPathComponent("kiln").path }

  /// The wide model of `DistributedTrainCLITests` for 2 epochs, with a checkpoint every 10 steps.
  static let wide = ["experiments/wide.yaml", "--quiet", "--set", "training.epochs=2", "--set", "training.checkpoint_every_steps=10"]

  /// Two hosts, a PostgreSQL server on the first, and a project in their shared folder: the
  /// wide model (`DistributedTrainCLITests.makeProject`) and a 4-trial sweep of a small one.
  /// Everything is removed when `body` returns or throws.
  static func withTwoHosts(_ body: (TwoHosts, PostgresTestServer, URL) throws -> Void) throws {
    let hosts = try TwoHosts()
    defer { hosts.remove() }
    let server = try hosts.startDatabase()
    defer { server.stop() }
    let root = try DistributedTrainCLITests.makeProject(at: hosts.root.appendingPathComponent("project"))
    try """
      name: moons-sweep
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [8], activation: relu}
      training: {epochs: 2, batch_size: 64, seed: 7, optimizer: {kind: adam, lr: 1.0e-2}}
      sweep:
        objective: {metric: validation.roc_auc, direction: maximize}
        sampler: tpe
        trials: 4
        space:
          training.optimizer.lr: {loguniform: [1.0e-3, 1.0e-1]}
      """.write(to: root.appendingPathComponent("experiments/sweep.yaml"), atomically: true, encoding: .utf8)
    try body(hosts, server, root)
  }

  static func finalParameters(run runID: String, in root: URL) throws -> [Float] {
    let checkpoint = root.appendingPathComponent(".kiln/runs/\(runID)/checkpoints/final.h5")
    return try TrainedModel.load(checkpoint: checkpoint).model.flattenedParameters().scalars
  }

  static func runID(_ output: String) throws -> String {
    let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("run ") })
    return String(line.dropFirst(4).prefix { $0 != ":" })
  }

  static func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
    a.count == b.count ? zip(a, b).map { abs($0 - $1) }.max() ?? 0 : .infinity
  }

  @Test func theHostsHaveTheirOwnNamesAndPrivateFoldersAndShareTheProjectFolder() throws {
    let hosts = try TwoHosts()
    defer { hosts.remove() }
    let first = try hosts.run(on: TwoHosts.addresses[0], ["/bin/sh", "-c", "hostname; touch \"$TMPDIR/private\" shared"], in: hosts.root)
    #expect(first.status == 0, "\(first.stderr)")
    let second = try hosts.run(on: TwoHosts.addresses[1], ["/bin/sh", "-c", "hostname; ls \"$TMPDIR\"; ls shared"], in: hosts.root)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(first.stdout == "host-a\n")
    #expect(second.stdout == "host-b\nshared\n", "host b sees only the shared file: \(second.stdout)")
  }

  /// Whatever still runs on the hosts (a rank a failed test left behind) ends with them.
  @Test func removingTheHostsEndsWhatRunsOnThemAndDeletesTheirNamespaces() throws {
    let hosts = try TwoHosts()
    defer { hosts.remove() }
    let leftover = Process()
    leftover.executableURL = TwoHosts.scripts.appendingPathComponent("enter")
    leftover.arguments = [hosts.root.path, TwoHosts.addresses[1], "/bin/sh", "-c", "echo started; exec sleep 600"]
    let output = Pipe()
    leftover.standardOutput = output
    try leftover.run()
    // Once it has said so, it runs on host b.
    #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) == "started\n")
    let pids = try runCommand(URL(fileURLWithPath: "/usr/sbin/ip"), ["netns", "pids", "\(hosts.prefix)-b"])
    #expect(!pids.stdout.isEmpty)
    hosts.remove()
    leftover.waitUntilExit()
    #expect(leftover.terminationReason == .uncaughtSignal)
    let namespaces = try runCommand(URL(fileURLWithPath: "/usr/sbin/ip"), ["netns", "list"])
    #expect(!namespaces.stdout.contains(hosts.prefix), "\(namespaces.stdout)")
    #expect(!FileManager.default.fileExists(atPath: hosts.root.path))
  }

  @Test func dataParallelTrainingOnTwoHostsMatchesOneProcessAndIsRecordedInPostgreSQL() throws {
    try Self.withTwoHosts { hosts, server, root in
      let local = try server.database(for: "training")

      let single = try runKiln(["train"] + Self.wide, in: root, environment: ["KILN_STORE": local.text])
      try #require(single.status == 0, "\(single.stderr)")
      let parallel = try hosts.run(on: TwoHosts.addresses[0], [Self.kiln, "train"] + Self.wide + ["--hosts", Self.hostList],
                                   in: root, environment: ["KILN_STORE": try server.networkURL(for: "training").text])
      try #require(parallel.status == 0, "\(parallel.stderr)")
      let one = try Self.finalParameters(run: try Self.runID(single.stdout), in: root)
      let two = try Self.finalParameters(run: try Self.runID(parallel.stdout), in: root)
      #expect(Self.largestDifference(one, two) <= 1e-5)

      let store = try StoreLocation.parse(local.text, relativeTo: root).open()
      let run = try store.runs(matching: RunQuery()).first { $0.id == (try? Self.runID(parallel.stdout)) }
      #expect(run?.status == .finished)
      #expect(run?.host == "host-a")
    }
  }

  @Test func aSweepOnTwoHostsHasAOneProcessSweepsTrialsWithTrialsRecordedFromTheSecondHost() throws {
    try Self.withTwoHosts { hosts, server, root in
      let single = try runKiln(["sweep", "experiments/sweep.yaml", "--json"], in: root,
                               environment: ["KILN_STORE": try server.database(for: "single").text])
      try #require(single.status == 0, "\(single.stderr)")
      // Rank 0 coordinates on host a, rank 1 trains every trial on host b.
      let parallel = try hosts.run(on: TwoHosts.addresses[0], [Self.kiln, "sweep", "experiments/sweep.yaml", "--json", "--hosts", Self.hostList],
                                   in: root, environment: ["KILN_STORE": try server.networkURL(for: "sweep").text])
      try #require(parallel.status == 0, "\(parallel.stderr)")

      func trials(_ output: String) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        return try #require(object["trials"] as? [[String: Any]])
      }
      let expected = try trials(single.stdout), found = try trials(parallel.stdout)
      try #require(expected.count == 4 && found.count == 4)
      for (a, b) in zip(expected, found) {
        #expect(a["state"] as? String == "complete" && b["state"] as? String == "complete")
        #expect((a["parameters"] as? [String: Double]) == (b["parameters"] as? [String: Double]))
        let difference = abs((a["value"] as? Double ?? 0) - (b["value"] as? Double ?? 1))
        #expect(difference <= 1e-5, "trial \(a["number"] ?? "?"): \(difference)")
      }

      let store = try StoreLocation.parse(try server.database(for: "sweep").text, relativeTo: root).open()
      let runs = try store.runs(matching: RunQuery())
      let trialRuns = runs.filter { $0.parentID != nil }
      #expect(trialRuns.count == 4 && trialRuns.allSatisfy { $0.host == "host-b" && $0.status == .finished })
      #expect(runs.filter { $0.parentID == nil }.map(\.host) == ["host-a"])
    }
  }

  @Test func aRankKilledOnTheSecondHostIsNamedAndItsRunFailsAndResumes() throws {
    try Self.withTwoHosts { hosts, server, root in
      let local = try server.database(for: "fault"), network = try server.networkURL(for: "fault")

      let reference = try runKiln(["train"] + Self.wide, in: root, environment: ["KILN_STORE": local.text])
      try #require(reference.status == 0, "\(reference.stderr)")
      // Rank 1 dies after step 15 of about 30, after the checkpoint at step 10.
      let killed = try hosts.run(on: TwoHosts.addresses[0], [Self.kiln, "train"] + Self.wide + ["--hosts", Self.hostList,
                                                             "--kill-after-steps", "15", "--kill-rank", "1"],
                                 in: root, environment: ["KILN_STORE": network.text])
      #expect(killed.status == 1)
      #expect(killed.stderr.contains("rank 1 on host \(TwoHosts.addresses[1]) was killed by signal 9"), "\(killed.stderr)")
      let store = try StoreLocation.parse(local.text, relativeTo: root).open()
      let failed = try #require(try store.runs(matching: RunQuery(status: .failed)).first, "\(killed.stderr)")
      #expect(killed.stderr.contains("kiln train --resume \(failed.id) --hosts \(Self.hostList)"), "\(killed.stderr)")

      let resumed = try hosts.run(on: TwoHosts.addresses[0], [Self.kiln, "train", "--resume", failed.id, "--quiet", "--hosts", Self.hostList],
                                  in: root, environment: ["KILN_STORE": network.text])
      try #require(resumed.status == 0, "\(resumed.stderr)")
      #expect(try store.runs(matching: RunQuery()).first { $0.id == failed.id }?.status == .finished)
      let difference = Self.largestDifference(try Self.finalParameters(run: try Self.runID(reference.stdout), in: root),
                                              try Self.finalParameters(run: failed.id, in: root))
      #expect(difference <= 1e-5)
    }
  }

  /// `--hosts` is read strictly, before mpirun starts: each mistake is a usage error naming it.
  @Test(arguments: [
    ("", "'' is not a host"),
    ("node1,,node2", "'' is not a host"),
    ("node1:0", "the rank count '0' of node1 must be a whole number from 1 to 1024"),
    ("node1:two", "the rank count 'two' of node1"),
    ("node1:1:2", "'node1:1:2' is not a host"),
    ("node_1", "'node_1' is not a host name: it contains '_'"),
    (".node", "'.node' is not a host name: it begins with '-' or '.'"),
    ("node1,node1:2", "node1 is named twice"),
  ])
  func aHostListThatCannotBeReadIsAUsageErrorNamingTheProblem(hosts: String, problem: String) throws {
    let result = try runKiln(["train", "experiments/x.yaml", "--hosts", hosts], in: FileManager.default.temporaryDirectory)
    #expect(result.status == 64)
    #expect(result.stderr.contains(problem), "\(result.stderr)")
  }

  /// `kiln sweep --hosts` reads the list as `kiln train --hosts` does.
  @Test func aSweepsHostListIsReadAsTrainingsIs() throws {
    let result = try runKiln(["sweep", "experiments/x.yaml", "--hosts", "node1,node1:2"], in: FileManager.default.temporaryDirectory)
    #expect(result.status == 64)
    #expect(result.stderr.contains("node1 is named twice"), "\(result.stderr)")
    let parallel = try runKiln(["sweep", "experiments/x.yaml", "--hosts", "node1:2", "--parallel", "2"], in: FileManager.default.temporaryDirectory)
    #expect(parallel.status == 64)
    #expect(parallel.stderr.contains("--parallel 2 does not apply with --hosts"), "\(parallel.stderr)")
  }

  @Test func aRankCountThatDisagreesWithTheHostsIsAUsageError() throws {
    let result = try runKiln(["train", "experiments/x.yaml", "--hosts", "node1:2,node2:2", "--nproc", "3"],
                             in: FileManager.default.temporaryDirectory)
    #expect(result.status == 64)
    #expect(result.stderr.contains("--nproc 3 does not match --hosts node1:2,node2:2, which gives 4 ranks"), "\(result.stderr)")
  }
}
