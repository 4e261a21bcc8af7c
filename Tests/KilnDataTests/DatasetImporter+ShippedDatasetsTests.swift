import KilnRecipes
import Foundation
import Testing
@testable import KilnData

@Suite struct DatasetImporterShippedDatasetsTests {
  @Test func adultImportsWithPublishedRowCountsAndPolicyCounts() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let output = directory.file("adult.h5")
    let report = try DatasetImporter.importDataset(recipe: packageRoot().appendingPathComponent("datasets/adult/dataset.yaml"), output: output)
    #expect((report.rowsBeforePolicy["train"] ?? 0) + (report.rowsBeforePolicy["validation"] ?? 0) == 32_561)
    #expect(report.rowsBeforePolicy["test"] == 16_281)
    #expect(report.rawFileRows == ["train": 32_561, "test": 16_281])
    #expect(report.rowsKeptByPolicy["impute"]?["test"] == 16_281)
    let keptByDrop = (report.rowsKeptByPolicy["drop"]?["train"] ?? 0) + (report.rowsKeptByPolicy["drop"]?["validation"] ?? 0)
    #expect(keptByDrop == 30_162)
    #expect(report.rowsKeptByPolicy["drop"]?["test"] == 15_060)
    #expect(abs((report.positiveRate["test"] ?? 0) - 0.246) < 0.01)
    let dataset = try KilnDataset.open(output)
    #expect(dataset.metadata.rowCount == 30_162 + 15_060)
    #expect(dataset.metadata.sensitive.map(\.name) == ["age_band", "race", "sex"])
    #expect(dataset.metadata.classes == ["<=50K", ">50K"])
    #expect(dataset.metadata.fingerprint == report.fingerprint)
    #expect(KilnDataset.validate(output).isEmpty)
  }

  @Test func germanDerivesSexFromPersonalStatusAndAnAgeBand() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let output = directory.file("german.h5")
    let report = try DatasetImporter.importDataset(recipe: packageRoot().appendingPathComponent("datasets/german/dataset.yaml"), output: output)
    #expect(report.rowsWritten.values.reduce(0, +) == 1_000)
    #expect(report.rowsWritten["test"] == 300)
    let dataset = try KilnDataset.open(output)
    let sex = try #require(dataset.metadata.sensitive.first { $0.name == "sex" })
    #expect(sex.categories == ["female", "male"])
    #expect(!sex.isModelInput)
    let rows = try dataset.rows(split: "test")
    #expect(rows.sensitive["sex"]?.allSatisfy { $0 == 0 || $0 == 1 } == true)
    #expect(rows.sensitive["age_band"]?.contains(0) == true)
    // 700 good of 1,000: the stratified test split keeps the 70% rate.
    #expect(abs(Double(rows.labels.reduce(0, +)) / 300 - 0.7) < 0.01)
  }

  @Test func reimportingTheSameInputGivesTheSameFingerprint() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let recipe = packageRoot().appendingPathComponent("datasets/german/dataset.yaml")
    let first = try DatasetImporter.importDataset(recipe: recipe, output: directory.file("a.h5"))
    let second = try DatasetImporter.importDataset(recipe: recipe, output: directory.file("b.h5"))
    #expect(first.fingerprint == second.fingerprint)
    #expect(first.fingerprint.count == 64)
  }
}
