import Foundation
import Testing

/// `kiln dataset inspect` and `validate` on multiclass and regression datasets.
@Suite struct DatasetCLILabelKindTests {
  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-kinds-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func inspectShowsTargetStatisticsPerGroupAndTheFileValidates() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("regression.h5")
    let synthesized = try runKiln(["dataset", "synthesize", url.path, "--kind", "regression", "--rows", "200"])
    #expect(synthesized.status == 0, "\(synthesized.stderr)")
    let table = try runKiln(["dataset", "inspect", url.path])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("label        target: regression target, rows     200, mean "), "\(table.stdout)")
    #expect(table.stdout.contains("by group group:"))
    let inspected = try runKiln(["dataset", "inspect", url.path, "--json"])
    let profile = try #require(try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any])
    #expect(profile["label_kind"] as? String == "regression")
    let statistics = try #require(profile["target_statistics"] as? [String: Any])
    #expect(abs((statistics["mean"] as? Double ?? 0) - 40) < 3)
    let validated = try runKiln(["dataset", "validate", url.path])
    #expect(validated.status == 0 && validated.stdout.contains("valid kiln.dataset/1"), "\(validated.stderr)")
  }

  @Test func synthesizeRejectsAnUnknownKind() throws {
    let result = try runKiln(["dataset", "synthesize", "/tmp/never-written.h5", "--kind", "ordinal"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--kind must be binary, multiclass or regression, found ordinal"), "\(result.stderr)")
  }

  @Test func inspectShowsClassBalancePerClass() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("blobs.h5")
    let synthesized = try runKiln(["dataset", "synthesize", url.path, "--kind", "multiclass", "--rows", "300"])
    #expect(synthesized.status == 0, "\(synthesized.stderr)")
    let table = try runKiln(["dataset", "inspect", url.path])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("label        blob: multiclass, 3 classes over 300 rows"), "\(table.stdout)")
    for name in ["a", "b", "c"] { #expect(table.stdout.contains("\n  \(name)            rows ")) }
  }
}
