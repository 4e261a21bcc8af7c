import Foundation
import Testing
@testable import KilnHDF5

@Suite struct HDF5FileAtomicTests {
  @Test func atomicWriteStoresNestedArraysOfAnyRankAndReplacesTheTarget() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("checkpoint.h5")
    for step in [1, 2] {
      try HDF5File.writeAtomically(to: url) { root in
        try root.setAttribute("step", step)
        let layer = try root.group(creatingIntermediates: "parameters/layers/0")
        try layer.createDataset("weight", values: (0..<24).map { Float($0 * step) }, shape: [2, 3, 4])
        try layer.setAttribute("kind", "dense")
      }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["checkpoint.h5"])
    let file = try HDF5File.open(url)
    #expect(try file.root.integerAttribute("step") == 2)
    let weight = try file.root.dataset("parameters/layers/0/weight")
    #expect(try weight.shape == [2, 3, 4])
    #expect(try weight.read(as: Float.self).last == 46)
    #expect(try file.root.group("parameters/layers/0").stringAttribute("kind") == "dense")
  }

  @Test func aFailingAtomicWriteLeavesTheOldFileAndNoTemporary() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("keep.h5")
    try HDF5File.writeAtomically(to: url) { try $0.setAttribute("version", "old") }
    struct Interrupted: Error {}
    #expect(throws: Interrupted.self) {
      try HDF5File.writeAtomically(to: url) { root in
        try root.setAttribute("version", "new")
        throw Interrupted()
      }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["keep.h5"])
    #expect(try HDF5File.open(url).root.stringAttribute("version") == "old")
  }
}
