import KilnRecipes
import Foundation
import Testing
@testable import KilnData

/// A small recipe over `train.csv` and `test.csv` with a header row.
private let recipeText = """
name: tiny
version: "1"
source: tests
license: none
format:
  delimiter: ","
  header: true
  missing: ["?"]
files: {train: train.csv, test: test.csv}
label: {column: y, positive: "yes", negative: "no", strip_suffix: "."}
columns: {numeric: [x], categorical: [color]}
sensitive:
  - {name: color, column: color, input: true}
missing_policy: POLICY
"""

private let trainText = """
x,color,y
1,red,yes
2,blue,no
3,?,yes
4,red,no
5,blue,yes
6,red,no

"""

private let testText = """
x,color,y
7,green,yes.
?,red,no.
"""

@Suite struct DatasetImporterTests {
  private func setUp(policy: String = "drop", recipe: String = recipeText, train: String = trainText,
                     test: String? = testText) throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    _ = try directory.write("dataset.yaml", recipe.replacingOccurrences(of: "POLICY", with: policy))
    _ = try directory.write("train.csv", train)
    if let test { _ = try directory.write("test.csv", test) }
    return directory
  }

  private func importFails(_ directory: TemporaryDirectory) throws -> DatasetError {
    let error = try #require(throws: DatasetError.self) {
      try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    }
    #expect(!directory.contents().contains { $0.hasSuffix(".h5") || $0.hasSuffix(".tmp") }, "a failed import left \(directory.contents())")
    return error
  }

  @Test func dropPolicyKeepsCompleteRowsAndCountsUnknownCategories() throws {
    let directory = try setUp()
    defer { directory.remove() }
    let report = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    #expect(report.rowsBeforePolicy == ["train": 6, "test": 2])
    #expect(report.rowsKeptByPolicy["drop"] == ["train": 5, "test": 1])
    #expect(report.rowsKeptByPolicy["impute"] == ["train": 6, "test": 2])
    #expect(report.unknownCategories["test"] == ["color": 1])
    let dataset = try KilnDataset.open(directory.file("tiny.h5"))
    #expect(dataset.metadata.featureNames == ["x", "color=blue", "color=red", "color=<unknown>"])
    let test = try dataset.rows(split: "test")
    // x = 7 standardised with train mean 3.6 and population σ of [1, 2, 4, 5, 6].
    let sigma = ((6.76 + 2.56 + 0.16 + 1.96 + 5.76) / 5.0).squareRoot()
    #expect(abs(Double(test.features[0]) - (7 - 3.6) / sigma) < 1e-5)
    #expect(Array(test.features[1...3]) == [0, 0, 1])
    #expect(dataset.metadata.sensitive.first?.categories == ["blue", "green", "red"])
  }

  @Test func imputePolicyFillsWithMedianAndModeAndAddsIndicators() throws {
    let directory = try setUp(policy: "impute")
    defer { directory.remove() }
    let report = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    #expect(report.rowsWritten == ["train": 6, "test": 2])
    let dataset = try KilnDataset.open(directory.file("tiny.h5"))
    #expect(dataset.metadata.featureNames == ["x", "color=blue", "color=red", "color=<unknown>", "color=<missing>"])
    let train = try dataset.rows(split: "train")
    // Row 3 had a missing colour: imputed with the mode (red) and flagged.
    #expect(Array(train.features(ofRow: 2)[(2 * 5 + 1)...(2 * 5 + 4)]) == [0, 1, 0, 1])
    // The test row with a missing x takes the train median (3.5), standardised.
    let encoding = try #require(dataset.metadata.encoding)
    let block = encoding.blocks[0]
    #expect(block.fill == "3.5")
    let test = try dataset.rows(split: "test")
    #expect(abs(Double(test.features(ofRow: 1).first!) - (3.5 - block.mean) / block.scale) < 1e-5)
  }

  @Test func storedEncodingAppliesToNewRawRowsExactly() throws {
    let directory = try setUp(policy: "impute")
    defer { directory.remove() }
    _ = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    let dataset = try KilnDataset.open(directory.file("tiny.h5"))
    let encoding = try #require(dataset.metadata.encoding)
    let encoded = try encoding.encode(rawRows: [["7", " green", "yes."], ["?", "red", "no."]])
    #expect(encoded.features == (try dataset.rows(split: "test")).features)
    #expect(encoded.unknownCounts == ["color": 1])
    #expect(encoded.sensitive["color"] == [1, 2])
    #expect(encoded.labels == [1, 0])
  }

  @Test func rawCSVFilesAreScoredWithTheStoredEncoding() throws {
    let directory = try setUp()
    defer { directory.remove() }
    _ = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    let dataset = try KilnDataset.open(directory.file("tiny.h5"))
    let encoding = try #require(dataset.metadata.encoding)
    let scored = try encoding.encode(csvFile: directory.file("test.csv"))
    let stored = try dataset.rows(split: "test")
    #expect(scored.features == stored.features)
    #expect(scored.labels == stored.labels)
    #expect(scored.sourceRows == [0])
    let unlabelled = try encoding.encode(rawRows: [["1", "red", ""]])
    #expect(unlabelled.labels == nil)
    #expect(unlabelled.rowCount == 1)
  }

  @Test func wrongFieldCountNamesFileAndLine() throws {
    let directory = try setUp(train: "x,color,y\n1,red,yes\n2,blue\n")
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .malformedRow)
    #expect(error.message.contains("train.csv:3: expected 3 fields, found 2"))
  }

  @Test func unparsableNumberNamesFileLineAndField() throws {
    let directory = try setUp(train: "x,color,y\n1,red,yes\nabc,blue,no\n")
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .unparsableNumber)
    #expect(error.message.contains("train.csv:3: field 1 ('x'): cannot parse 'abc'"))
  }

  @Test func unknownColumnInRecipeSuggestsTheNearest() throws {
    let directory = try setUp(recipe: recipeText.replacingOccurrences(of: "categorical: [color]", with: "categorical: [colour]"))
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .unknownColumn)
    #expect(error.message.contains("unknown column 'colour'"))
    #expect(error.hint == "did you mean 'color'?")
  }

  @Test func unknownRecipeKeyNamesLineAndNearestKey() throws {
    let directory = try setUp(recipe: recipeText.replacingOccurrences(of: "missing_policy:", with: "missing_polcy:"))
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .invalidRecipe)
    #expect(error.message.contains("dataset.yaml:14:1: unknown key 'missing_polcy'"))
    #expect(error.hint == "did you mean 'missing_policy'?")
  }

  @Test func labelThatIsNeitherClassNamesFileLineAndField() throws {
    let directory = try setUp(test: "x,color,y\n7,red,maybe\n")
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .unknownLabel)
    #expect(error.message.contains("test.csv:2: field 3 ('y'): label 'maybe'"))
  }

  @Test func emptyFileIsReported() throws {
    let directory = try setUp(test: "x,color,y\n\n")
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .emptyFile)
    #expect(error.message.contains("test.csv"))
  }

  @Test func missingFileIsReported() throws {
    let directory = try setUp(test: nil)
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .missingFile)
    #expect(error.message.contains("test.csv"))
  }

  @Test func missingRecipeIsReported() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .missingFile)
  }

  @Test func stratifiedSplitKeepsClassRatesAndIsSeeded() {
    let labels: [Int32] = (0..<1000).map { $0 % 4 == 0 ? 1 : 0 }
    let (rest, carved) = DatasetImporter.stratifiedSplit(Array(0..<1000), labels: labels, fraction: 0.2, seed: 4)
    #expect(carved.count == 200)
    #expect(carved.filter { labels[$0] == 1 }.count == 50)
    #expect(Set(rest).isDisjoint(with: carved))
    #expect(DatasetImporter.stratifiedSplit(Array(0..<1000), labels: labels, fraction: 0.2, seed: 4).carved == carved)
    #expect(DatasetImporter.stratifiedSplit(Array(0..<1000), labels: labels, fraction: 0.2, seed: 5).carved != carved)
  }
}
