import Foundation
import Testing

@Suite struct DatasetCLITests {
  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  private var germanRecipe: String {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
    return url.appendingPathComponent("datasets/german/dataset.yaml").path
  }

  @Test func importInspectAndValidateTheGermanDataset() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("german.h5").path
    let imported = try runKiln(["dataset", "import", germanRecipe, "--output", output])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("imported german"))
    #expect(imported.stdout.contains("drop keeps"))

    let inspected = try runKiln(["dataset", "inspect", output, "--json"])
    #expect(inspected.status == 0)
    let profile = try #require(try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any])
    #expect(profile["row_count"] as? Int == 1_000)
    #expect((profile["fingerprint"] as? String)?.count == 64)
    let byGroup = try #require(profile["balance_by_group"] as? [String: Any])
    #expect(byGroup["sex"] != nil)

    let table = try runKiln(["dataset", "inspect", output])
    #expect(table.stdout.contains("by group sex:"))
    let validated = try runKiln(["dataset", "validate", output])
    #expect(validated.status == 0)
    #expect(validated.stdout.contains("valid kiln.dataset/1"))
  }

  @Test func validateExitsNonZeroListingProblems() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bogus = directory.appendingPathComponent("bogus.h5")
    try Data("not a dataset".utf8).write(to: bogus)
    let result = try runKiln(["dataset", "validate", bogus.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("not an HDF5 file"))
  }

  @Test func importOfABadRecipeFailsWithLocationAndLeavesNoFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let recipe = directory.appendingPathComponent("dataset.yaml")
    try Data("name: x\nversion: \"1\"\nsorce: y\n".utf8).write(to: recipe)
    let result = try runKiln(["dataset", "import", recipe.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("dataset.yaml:3:1: unknown key 'sorce'"))
    #expect(result.stderr.contains("did you mean 'source'?"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["dataset.yaml"])
  }
}
