import Foundation
import Testing
@testable import KilnHDF5

@Suite struct HDF5ObjectAttributesTests {
  @Test func stringIntegerAndNumericAttributesRoundTrip() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    do {
      let file = try HDF5File.create(at: directory.file("attrs.h5"))
      let root = try file.root
      try root.setAttribute("format", "kiln.dataset/1")
      try root.setAttribute("names", ["a", "b", "c"])
      try root.setAttribute("step", 42)
      try root.setAttribute("loss", 0.125)
      try root.setAttribute("mean", [Float(1.5), 2.5])
      try root.setAttribute("step", 43)
      let group = try root.createGroup("layers")
      let weights = try group.createDataset("w", values: [Float](repeating: 0.5, count: 8), shape: [2, 2, 2])
      try weights.setAttribute("role", "weight")
      try file.close()
    }
    let file = try HDF5File.open(directory.file("attrs.h5"))
    let root = try file.root
    #expect(try root.stringAttribute("format") == "kiln.dataset/1")
    #expect(try root.stringArrayAttribute("names") == ["a", "b", "c"])
    #expect(try root.integerAttribute("step") == 43)
    #expect(abs(try root.doubleAttribute("loss") - 0.125) < 1e-12)
    #expect(try root.attributeValues("mean", as: Float.self) == [1.5, 2.5])
    #expect(try root.attributeNames() == ["format", "loss", "mean", "names", "step"])
    #expect(try root.dataset("layers/w").stringAttribute("role") == "weight")
    #expect(try root.dataset("layers/w").shape == [2, 2, 2])
    #expect(try root.childNames() == ["layers"])
    #expect(root.isGroup("layers"))
    #expect(!root.isGroup("layers/w"))
  }

  @Test func readingAMissingAttributeNamesFileAndObject() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try HDF5File.create(at: directory.file("missing.h5"))
    let group = try file.root.createGroup("g")
    let error = try #require(throws: HDF5Error.self) { try group.stringAttribute("nope") }
    #expect(error.objectPath == "/g")
    #expect(error.filePath.hasSuffix("missing.h5"))
    #expect(error.description.contains("nope"))
  }
}
