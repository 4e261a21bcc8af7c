import KilnRecipes
import Foundation
import KilnHDF5
import Testing
@testable import KilnData

@Suite struct KilnDatasetTests {
  @Test func writtenDatasetRoundTripsMetadataAndRows() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("d.h5")
    try writeSyntheticDataset(at: url, rows: 9, splits: ["train": [0, 1, 2, 3, 4, 5], "test": [6, 7, 8]])
    let dataset = try KilnDataset.open(url)
    #expect(dataset.metadata.format == "kiln.dataset/1")
    #expect(dataset.metadata.header.name == "synthetic")
    #expect(dataset.metadata.featureNames == ["f0", "f1", "f2"])
    #expect(dataset.metadata.splitSizes == ["train": 6, "test": 3])
    #expect(dataset.metadata.sensitive == [SensitiveAttribute(name: "group", categories: ["a", "b", "c"], isModelInput: false)])
    let test = try dataset.rows(split: "test")
    #expect(test.rowIndices == [6, 7, 8])
    #expect(test.features == [60, 61, 62, 70, 71, 72, 80, 81, 82])
    #expect(test.labelValues == [0, 1, 0])
    #expect(test.sensitive["group"] == [0, 1, 2])
    #expect(directory.contents() == ["d.h5"])
  }

  @Test func fingerprintChangesWhenALabelChanges() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try writeSyntheticDataset(at: directory.file("a.h5"), rows: 8)
    try writeSyntheticDataset(at: directory.file("b.h5"), rows: 5)
    try writeSyntheticDataset(at: directory.file("b.h5"), rows: 8)  // replaces the 5-row file
    let a = try KilnDataset.open(directory.file("a.h5")).metadata.fingerprint
    #expect(a == (try KilnDataset.open(directory.file("b.h5")).metadata.fingerprint))
    do {
      let file = try HDF5File.open(directory.file("b.h5"), mode: .readWrite)
      try file.root.dataset("label").write([Int32](repeating: 1, count: 8))
      try file.close()
    }
    #expect(KilnDataset.validate(directory.file("a.h5")).isEmpty)
    let problems = KilnDataset.validate(directory.file("b.h5"))
    #expect(problems.count == 1)
    #expect(problems.first?.contains("fingerprint") == true)
  }

  @Test func openingReportsEveryStructuralProblemAtOnce() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("broken.h5")
    do {
      let file = try HDF5File.create(at: url)
      let root = try file.root
      try root.setAttribute("format", "kiln.dataset/9")
      try root.createDataset("features", values: [Float](repeating: 0, count: 6), shape: [6])
      let sensitive = try root.createGroup("sensitive")
      try sensitive.createDataset("sex", values: [Int32(0), 1])
      try root.createGroup("splits").createDataset("train", values: [UInt32(0), 99])
      try file.close()
    }
    let error = try #require(throws: DatasetValidationError.self) { try KilnDataset.open(url) }
    let text = error.description
    #expect(text.contains(url.path))
    #expect(text.contains("unknown format 'kiln.dataset/9'"))
    #expect(text.contains("/features: expected rank 2"))
    #expect(text.contains("/label: missing dataset"))
    #expect(text.contains("/sensitive/sex: missing attribute 'categories'"))
    #expect(text.contains("/encoding: missing group"))
    #expect(text.contains("missing string attribute 'fingerprint'"))
    #expect(error.problems.count >= 6)
  }

  @Test func lengthMismatchBetweenFeaturesAndLabelIsNamed() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("mismatch.h5")
    try writeSyntheticDataset(at: url, rows: 4)
    do {
      let file = try HDF5File.open(url, mode: .readWrite)
      let root = try file.root
      try root.removeLink("label")
      try root.createDataset("label", values: [Int32(0), 1, 0])
      try root.dataset("label").setAttribute("name", "y")
      try root.dataset("label").setAttribute("classes", ["no", "yes"])
      try file.close()
    }
    let error = try #require(throws: DatasetValidationError.self) { try KilnDataset.open(url) }
    #expect(error.problems == ["/label: length 3 does not match /features's 4 rows"])
  }

  @Test func openingAMissingOrNonHDF5FileFailsWithAHint() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let missing = try #require(throws: DatasetError.self) { try KilnDataset.open(directory.file("none.h5")) }
    #expect(missing.kind == .missingFile)
    let text = try directory.write("text.h5", "hello")
    let notHDF5 = try #require(throws: DatasetError.self) { try KilnDataset.open(text) }
    #expect(notHDF5.kind == .invalidDataset)
  }

  @Test func nonFiniteFeaturesAreRejectedAndLeaveNoFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let error = try #require(throws: DatasetError.self) {
      let writer = try KilnDatasetWriter(url: directory.file("nan.h5"), header: DatasetHeader(name: "n", version: "1", source: "", license: ""),
                                         rowCount: 2, featureNames: ["a", "b"])
      try [Float(1), 2, .nan, 4].withUnsafeBufferPointer { try writer.appendFeatures($0) }
    }
    #expect(error.kind == .nonFiniteFeature)
    #expect(error.message.contains("feature 'a' of row 1"))
    #expect(directory.contents().isEmpty)
  }

  @Test func importedDatasetIsReadableByH5dump() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("german.h5")
    _ = try DatasetImporter.importDataset(recipe: packageRoot().appendingPathComponent("datasets/german/dataset.yaml"), output: url)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/h5dump")
    process.arguments = ["-A", url.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    for object in ["DATASET \"features\"", "DATASET \"label\"", "GROUP \"sensitive\"", "DATASET \"sex\"", "GROUP \"splits\"",
                   "DATASET \"validation\"", "GROUP \"encoding\"", "ATTRIBUTE \"fingerprint\"", "kiln.dataset/1"] {
      #expect(text.contains(object), "h5dump output lacks \(object)")
    }
  }
}
