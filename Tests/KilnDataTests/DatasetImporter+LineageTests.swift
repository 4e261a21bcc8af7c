import KilnRecipes
import Foundation
import KilnHDF5
import Testing
@testable import KilnData

/// A recipe with row filters over `train.csv` and `test.csv` (header rows).
private let recipeText = """
name: lineage
version: "1"
source: tests
license: none
format: {delimiter: ",", header: true, missing: ["?"]}
files: {train: train.csv, test: test.csv}
label: {column: y, positive: "yes", negative: "no", strip_suffix: "."}
columns: {numeric: [x], categorical: [color]}
sensitive:
  - {name: color, column: color, input: true}
missing_policy: drop
filters:
  - x >= 2
  - color in ('red', 'blue') or x > 6
"""

private let trainText = "x,color,y\n1,red,yes\n2,blue,no\n3,?,yes\n4,red,no\n5, blue ,yes\n6,red,no\n"
private let testText = "x,color,y\n7,green,yes.\n?,red,no.\n"

@Suite struct DatasetImporterLineageTests {
  private func setUp(recipe: String = recipeText, train: String = trainText) throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    _ = try directory.write("dataset.yaml", recipe)
    _ = try directory.write("train.csv", train)
    _ = try directory.write("test.csv", testText)
    return directory
  }

  private func importFails(_ directory: TemporaryDirectory) throws -> DatasetError {
    try #require(throws: DatasetError.self) { try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml")) }
  }

  @Test func filtersKeepRowsPassingEveryRuleAndTheReportCountsEachRule() throws {
    let directory = try setUp()
    defer { directory.remove() }
    let report = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    // Rule 1 drops x = 1 and the test row whose x is missing; rule 2 drops x = 3 (colour missing).
    #expect(report.filters == [
      FilterReport(rule: "x >= 2", line: 13, rowsIn: 8, rowsKept: 6),
      FilterReport(rule: "color in ('red', 'blue') or x > 6", line: 14, rowsIn: 6, rowsKept: 5),
    ])
    #expect(report.rawFileRows == ["train": 6, "test": 2])
    #expect(report.rowsWritten == ["train": 4, "test": 1])
    let json = try report.json()
    #expect(json.contains("\"rows_kept\" : 5"))
    #expect(report.text().contains("filter     x >= 2 (line 13): rows in      8, kept      6"))
  }

  @Test func eachStoredRowRemembersItsFileAndLineAndExportGivesTheRawRowsBack() throws {
    let directory = try setUp()
    defer { directory.remove() }
    _ = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    let dataset = try KilnDataset.open(directory.file("lineage.h5"))
    defer { try? dataset.close() }
    let sources = try #require(try dataset.rowSources())
    #expect(sources.files == ["train.csv", "test.csv"])
    #expect(sources.fileCodes == [0, 0, 0, 0, 1])
    #expect(sources.lines == [3, 5, 6, 7, 2])
    #expect(sources.filters == ["x >= 2", "color in ('red', 'blue') or x > 6"])
    let train = try dataset.exportRawRows(split: "train")
    // Each record as the reader read it at import (spaces around fields trimmed, as the recipe's
    // trim_spaces default says), so the export re-imports and scores to the same rows.
    #expect(train.text == "x,color,y\n2,blue,no\n4,red,no\n5,blue,yes\n6,red,no\n")
    #expect(train.origins == ["train.csv:3", "train.csv:5", "train.csv:6", "train.csv:7"])
    #expect(try dataset.exportRawRows(split: "test").lines == ["7,green,yes."])
    #expect(KilnDataset.validate(directory.file("lineage.h5")).isEmpty)
  }

  @Test func exportRefusesARawFileChangedSinceImport() throws {
    let directory = try setUp()
    defer { directory.remove() }
    _ = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    _ = try directory.write("train.csv", trainText.replacingOccurrences(of: "4,red,no", with: "4,red,yes"))
    let dataset = try KilnDataset.open(directory.file("lineage.h5"))
    defer { try? dataset.close() }
    let error = try #require(throws: DatasetError.self) { try dataset.exportRawRows(split: "train") }
    #expect(error.message.contains("train.csv: the raw file changed since lineage.h5 was imported"))
    #expect(try dataset.exportRawRows(split: "test").lines.count == 1)
  }

  @Test func aFileWithoutRowSourcesOpensAndExportSaysToReimport() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("old.h5")
    let writer = try KilnDatasetWriter(url: url, header: DatasetHeader(name: "old", version: "1", source: "", license: ""),
                                       rowCount: 2, featureNames: ["a"])
    try [Float(1), 2].withUnsafeBufferPointer { try writer.appendFeatures($0) }
    try writer.finish(label: LabelColumn(name: "y", classes: ["no", "yes"], codes: [0, 1]), sensitive: [],
                      splits: ["test": [0, 1]], encoding: nil)
    let dataset = try KilnDataset.open(url)
    defer { try? dataset.close() }
    #expect(try dataset.rowSources() == nil)
    try dataset.verifyContent()
    let error = try #require(throws: DatasetError.self) { try dataset.exportRawRows(split: "test") }
    #expect(error.message.contains("imported before datasets kept each row's source"))
  }

  @Test func aRuleThatDoesNotParseNamesTheRecipeLineAndColumn() throws {
    let directory = try setUp(recipe: recipeText.replacingOccurrences(of: "  - x >= 2", with: "  - x >> 2"))
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .invalidRecipe)
    #expect(error.message.contains("dataset.yaml:13: filters[0] 'x >> 2': filter error at column 3: unknown operator '>>'"))
  }

  @Test func aRuleNamingAnUnknownColumnSuggestsTheNearest() throws {
    let directory = try setUp(recipe: recipeText.replacingOccurrences(of: "color in", with: "colour in"))
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.message.contains("dataset.yaml:14: filters[1]"))
    #expect(error.message.contains("unknown column 'colour' (did you mean 'color'?)"))
  }

  @Test func comparingTextWithANumberNamesTheRowFieldAndRule() throws {
    let directory = try setUp(recipe: recipeText.replacingOccurrences(of: "  - x >= 2", with: "  - color >= 2"))
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.message.contains("train.csv:2: field 2 ('color'): cannot compare 'red' with a number in"))
    #expect(error.message.contains("dataset.yaml:13: filters[0] 'color >= 2'"))
  }

  @Test func filtersThatKeepNoRowsOfAFileSaySo() throws {
    let directory = try setUp(recipe: recipeText.replacingOccurrences(of: "  - x >= 2", with: "  - x > 100"))
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.message.contains("train.csv: the recipe's filters keep none of its 6 rows"))
  }

  @Test func aSensitiveNameWithASlashIsARecipeErrorAndAColumnWithOneIsStored() throws {
    let slashed = recipeText.replacingOccurrences(of: "{name: color, column: color", with: "{name: col/or, column: color")
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(slashed, file: "dataset.yaml") }
    #expect(error.message.contains("dataset.yaml:10:12: sensitive.0.name: sensitive attribute name 'col/or'"))
    #expect(error.hint?.contains("col_or") == true)

    // A header column named `colour/shade` is a categorical feature and a sensitive column.
    let directory = try setUp(recipe: recipeText.replacingOccurrences(of: "color", with: "colour/shade"),
                              train: trainText.replacingOccurrences(of: "color", with: "colour/shade"))
    defer { directory.remove() }
    _ = try directory.write("test.csv", testText.replacingOccurrences(of: "color", with: "colour/shade"))
    _ = try directory.write("dataset.yaml", recipeText.replacingOccurrences(of: "color", with: "colour/shade")
      .replacingOccurrences(of: "{name: colour/shade,", with: "{name: colour,"))
    let report = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    #expect(report.rowsWritten["train"] == 4)
    let dataset = try KilnDataset.open(directory.file("lineage.h5"))
    defer { try? dataset.close() }
    #expect(dataset.metadata.featureNames.contains("colour/shade=red"))
  }

  @Test func anEditedFileFailsItsContentCheckAndANaNFeatureIsNamed() throws {
    let directory = try setUp()
    defer { directory.remove() }
    _ = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    let url = directory.file("lineage.h5")
    try KilnDataset.open(url).verifyContent()
    func overwriteFirstFeature(_ value: Float) throws {
      let file = try HDF5File.open(url, mode: .readWrite)
      try [value].withUnsafeBufferPointer { try file.root.dataset("features").write($0, start: [0, 0], count: [1, 1]) }
      try file.close()
    }
    try overwriteFirstFeature(0.5)
    let edited = try #require(throws: DatasetError.self) { try KilnDataset.open(url).verifyContent() }
    #expect(edited.message.contains("lineage.h5: the content hashes to"))
    #expect(edited.message.contains("it was changed after import"))
    #expect(edited.hint?.contains("kiln dataset import") == true)
    try overwriteFirstFeature(.nan)
    let nan = try #require(throws: DatasetError.self) { try KilnDataset.open(url).verifyContent() }
    #expect(nan.kind == .nonFiniteFeature)
    #expect(nan.message.contains("dataset 'lineage': feature column 'x' is nan in row 0"))
  }

  /// A field with the delimiter, a quote or a line break is written back quoted, so the one
  /// reader reads the export as it read the source (a quoted record spanning lines included).
  @Test func exportedFieldsAreQuotedSoTheReaderReadsThemBack() throws {
    let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", " edge "]
    let line = KilnDataset.delimitedLine(fields, format: .csv)
    #expect(line == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" edge \"")
    let reader = try DelimitedReader(bytes: Array(("c1,c2,c3,c4,c5\n" + line + "\n").utf8), name: "export.csv",
                                     format: DelimitedFormat(trimsSpaces: false))
    #expect(try reader.nextRecord()?.fields == fields)
  }
}
