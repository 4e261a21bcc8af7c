import KilnRecipes
import Foundation
import KilnHDF5
import Testing
@testable import KilnData

/// Imports of multiclass and regression labels from small CSV files.
@Suite struct DatasetImporterLabelKindTests {
  private func recipe(label: String, split: String = "files: {train: train.csv, test: test.csv}") -> String {
    """
    name: tiny
    version: "1"
    source: tests
    license: none
    format: {delimiter: ",", header: true, missing: ["?"]}
    \(split)
    label: \(label)
    columns: {numeric: [x], categorical: [color]}
    sensitive:
      - {name: color, column: color, input: true}
    missing_policy: drop
    """
  }

  private let train = "x,color,y\n1,red,cat\n2,blue,dog\n3,red,fox\n4,blue,cat\n5,red,?\n6,blue,dog\n"
  private let test = "x,color,y\n7,red,fox.\n8,blue,cat.\n"
  private let numericTrain = "x,color,y\n1,red,10.5\n2,blue,20\n3,red,?\n4,blue,40\n"
  private let numericTest = "x,color,y\n5,red,50\n"

  private func setUp(_ recipe: String, train: String, test: String) throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    _ = try directory.write("dataset.yaml", recipe)
    _ = try directory.write("train.csv", train)
    _ = try directory.write("test.csv", test)
    return directory
  }

  private func importFails(_ directory: TemporaryDirectory) throws -> DatasetError {
    let error = try #require(throws: DatasetError.self) { try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml")) }
    #expect(!directory.contents().contains { $0.hasSuffix(".h5") || $0.hasSuffix(".tmp") }, "a failed import left \(directory.contents())")
    return error
  }

  @Test func multiclassAutoLearnsSortedClassesAndWritesCodes() throws {
    let directory = try setUp(recipe(label: "{column: y, kind: multiclass, classes: auto, strip_suffix: .}"), train: train, test: test)
    defer { directory.remove() }
    let report = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    #expect(report.labelKind == .multiclass)
    #expect(report.rowsWithoutLabel == ["train": 1, "test": 0])
    #expect(report.classCounts?["train"] == ["cat": 2, "dog": 2, "fox": 1])
    let dataset = try KilnDataset.open(directory.file("tiny.h5"))
    #expect(dataset.metadata.labelKind == .multiclass)
    #expect(dataset.metadata.classes == ["cat", "dog", "fox"])
    #expect(try dataset.rows(split: "train").labels == [0, 1, 2, 0, 1])
    #expect(try dataset.rows(split: "test").labels == [2, 0])
    #expect(try dataset.rows(split: "test").targets.isEmpty)
    #expect(dataset.metadata.encoding?.label?.classes == .listed(["cat", "dog", "fox"]))
    let file = try HDF5File.open(directory.file("tiny.h5"))
    #expect(try file.root.dataset("label").stringAttribute("kind") == "multiclass")
    #expect(try file.root.dataset("label").kind == .int32)
    #expect(KilnDataset.validate(directory.file("tiny.h5")).isEmpty)
  }

  @Test func multiclassListedClassesKeepTheirOrder() throws {
    let directory = try setUp(recipe(label: "{column: y, kind: multiclass, classes: [fox, dog, cat], strip_suffix: .}"), train: train, test: test)
    defer { directory.remove() }
    _ = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    let dataset = try KilnDataset.open(directory.file("tiny.h5"))
    #expect(dataset.metadata.classes == ["fox", "dog", "cat"])
    #expect(try dataset.rows(split: "train").labels == [2, 1, 0, 2, 1])
    let scored = try #require(dataset.metadata.encoding).encode(csvFile: directory.file("test.csv"))
    #expect(scored.labels == [0, 2])
  }

  @Test func labelOutsideTheClassesNamesFileLineAndValue() throws {
    let directory = try setUp(recipe(label: "{column: y, kind: multiclass, classes: auto, strip_suffix: .}"), train: train,
                              test: "x,color,y\n7,red,fox.\n8,blue,owl.\n")
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .unknownLabel)
    #expect(error.message.contains("test.csv:3: field 3 ('y'): label 'owl.' is not one of the 3 classes (cat, dog, fox)"), "\(error)")
    #expect(error.hint?.contains("label.classes") == true)
  }

  @Test func autoClassesNeedThreeDistinctValuesInTheTrainFile() throws {
    let directory = try setUp(recipe(label: "{column: y, kind: multiclass, classes: auto}"),
                              train: "x,color,y\n1,red,cat\n2,blue,dog\n3,red,cat\n", test: "x,color,y\n4,red,dog\n")
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.message.contains("train.csv: label column 'y' has 2 distinct values (cat, dog)"), "\(error)")
    #expect(error.hint?.contains("binary form") == true)
  }

  @Test func regressionWritesFloatTargetsAndStatistics() throws {
    let directory = try setUp(recipe(label: "{column: y, kind: regression}"), train: numericTrain, test: numericTest)
    defer { directory.remove() }
    let report = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    #expect(report.rowsWithoutLabel["train"] == 1)
    let statistics = try #require(report.targetStatistics?["train"])
    #expect(statistics.count == 3 && abs(statistics.mean - 70.5 / 3) < 1e-9 && statistics.maximum == 40)
    let dataset = try KilnDataset.open(directory.file("tiny.h5"))
    #expect(dataset.metadata.labelKind == .regression)
    #expect(dataset.metadata.classes.isEmpty)
    let trainRows = try dataset.rows(split: "train")
    #expect(trainRows.targets == [10.5, 20, 40])
    #expect(trainRows.labels.isEmpty)
    #expect(try dataset.targets(split: "test") == [50])
    let file = try HDF5File.open(directory.file("tiny.h5"))
    #expect(try file.root.dataset("label").kind == .float32)
    #expect(try file.root.dataset("label").stringAttribute("kind") == "regression")
    #expect(KilnDataset.validate(directory.file("tiny.h5")).isEmpty)
    let scored = try #require(dataset.metadata.encoding).encode(csvFile: directory.file("test.csv"))
    #expect(scored.targets == [50])
    #expect(scored.labels == nil)
  }

  @Test func nonNumericRegressionTargetNamesFileLineAndValue() throws {
    let directory = try setUp(recipe(label: "{column: y, kind: regression}"), train: numericTrain + "5,red,lots\n", test: numericTest)
    defer { directory.remove() }
    let error = try importFails(directory)
    #expect(error.kind == .unparsableNumber)
    #expect(error.message.contains("train.csv:6: field 3 ('y'): regression target 'lots' is not a finite number"), "\(error)")
    #expect(error.hint?.contains("format.missing") == true)
  }

  @Test func regressionSplitIsASeededShuffleAndMulticlassSplitIsStratified() throws {
    let rows = (0..<60).map { "\($0),\($0 % 2 == 0 ? "red" : "blue"),\($0 % 3 == 0 ? "a" : $0 % 3 == 1 ? "b" : "c")" }
    let text = "x,color,y\n" + rows.joined(separator: "\n") + "\n"
    let split = "split: {file: train.csv, test_fraction: 0.5, seed: 3}"
    let multiclass = try setUp(recipe(label: "{column: y, kind: multiclass, classes: auto}", split: split), train: text, test: "")
    defer { multiclass.remove() }
    _ = try DatasetImporter.importDataset(recipe: multiclass.file("dataset.yaml"))
    let labels = try KilnDataset.open(multiclass.file("tiny.h5")).rows(split: "test").labels
    #expect([0, 1, 2].map { code in labels.filter { $0 == code }.count } == [10, 10, 10])

    let numeric = "x,color,y\n" + (0..<60).map { "\($0),red,\($0)" }.joined(separator: "\n") + "\n"
    let regression = try setUp(recipe(label: "{column: y, kind: regression}", split: split), train: numeric, test: "")
    defer { regression.remove() }
    _ = try DatasetImporter.importDataset(recipe: regression.file("dataset.yaml"))
    let first = try KilnDataset.open(regression.file("tiny.h5")).rows(split: "test").targets
    _ = try DatasetImporter.importDataset(recipe: regression.file("dataset.yaml"), output: regression.file("again.h5"))
    #expect(first.count == 30)
    #expect(try KilnDataset.open(regression.file("again.h5")).rows(split: "test").targets == first)
    #expect(first != (0..<30).map(Float.init), "the test split should be a shuffle, not the first rows")
  }

  @Test func recipeMayReferenceRawFilesInASiblingFolder() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try FileManager.default.createDirectory(at: directory.file("shared/raw"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: directory.file("variant"), withIntermediateDirectories: true)
    _ = try directory.write("shared/raw/train.csv", train)
    _ = try directory.write("shared/raw/test.csv", test)
    _ = try directory.write("variant/dataset.yaml", recipe(label: "{column: y, kind: multiclass, classes: auto, strip_suffix: .}",
                                                          split: "files: {train: ../shared/raw/train.csv, test: ../shared/raw/test.csv}"))
    let report = try DatasetImporter.importDataset(recipe: directory.file("variant/dataset.yaml"))
    #expect(report.rowsWritten == ["train": 5, "test": 2])
    #expect(FileManager.default.fileExists(atPath: directory.file("variant/tiny.h5").path))
  }
}
