import Foundation
import KilnPostgresTestServer
import KilnTraining
import Testing

/// The CLI on a PostgreSQL store (the test process's throwaway server): chosen by `KILN_STORE` or
/// `--store`, the embedded `.kiln/kiln.sqlite` is never made, and passwords are never printed.
@Suite struct PostgresStoreCLITests {
  /// A project with a small synthetic dataset and a one-epoch experiment.
  static func project() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-postgres-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    try SyntheticTask.write(to: root.appendingPathComponent("datasets/moons.h5"), rows: 200)
    try """
      name: moons
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [4], activation: relu}
      training: {epochs: 1, batch_size: 32, seed: 5, optimizer: {kind: adam, lr: 1.0e-2}}
      """.write(to: root.appendingPathComponent("experiments/moons.yaml"), atomically: true, encoding: .utf8)
    return root
  }

  @Test func aRunTrainedIntoPostgreSQLIsListedFromIt() throws {
    let url = try PostgresTestServer.shared().database(for: "cli-\(UUID().uuidString)")
    let root = try Self.project()
    defer { try? FileManager.default.removeItem(at: root) }

    let trained = try runKiln(["train", "experiments/moons.yaml", "--quiet"], in: root, environment: ["KILN_STORE": url.text])
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".kiln/kiln.sqlite").path))

    // The flag form, in another folder: the runs are in the server, not in the project.
    let elsewhere = FileManager.default.temporaryDirectory
    let listed = try runKiln(["runs", "list", "--json", "--store", url.text], in: elsewhere, environment: ["KILN_STORE": ""])
    #expect(listed.status == 0, "\(listed.stderr)")
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 1)
    #expect(runs.first?["status"] as? String == "finished")
    #expect(runs.first?["experiment"] as? String == "moons")
  }

  @Test func aStoreThatCannotBeOpenedIsNamedWithoutItsPassword() throws {
    let server = try PostgresTestServer.shared()
    let url = "postgresql://kiln:hunter2-secret@/no_such_database?host=\(server.folder.path)"
    let result = try runKiln(["runs", "list", "--store", url], in: FileManager.default.temporaryDirectory, environment: ["KILN_STORE": ""])
    #expect(result.status == 1)
    #expect(result.stderr.contains("no_such_database"), "\(result.stderr)")
    #expect(result.stderr.contains("kiln:***@"), "\(result.stderr)")
    #expect(!result.stderr.contains("hunter2-secret"), "\(result.stderr)")
  }

  @Test func aStoreOfAnUnknownSchemeIsRefused() throws {
    let result = try runKiln(["runs", "list"], in: FileManager.default.temporaryDirectory,
                             environment: ["KILN_STORE": "mysql://user:pw@host/db"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("scheme 'mysql'") && !result.stderr.contains(":pw@"), "\(result.stderr)")
  }
}
