import Foundation
import Testing
@testable import KilnHDF5

@Suite struct HDF5FileTests {
  @Test func openingAMissingFileThrowsWithThePath() throws {
    let error = try #require(throws: HDF5Error.self) {
      try HDF5File.open(URL(fileURLWithPath: "/nonexistent/kiln/file.h5"))
    }
    #expect(error.filePath == "/nonexistent/kiln/file.h5")
    #expect(error.objectPath == "/")
  }

  @Test func openingANonHDF5FileCarriesLibraryMessage() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("text.h5")
    try Data("not hdf5\n".utf8).write(to: url)
    #expect(!HDF5File.isHDF5(url))
    let error = try #require(throws: HDF5Error.self) { try HDF5File.open(url) }
    #expect(error.filePath == url.path)
    #expect(!error.libraryMessage.isEmpty)
    #expect(error.libraryMessage != "libhdf5 reported a failure")
  }

  @Test func creatingOverAnExistingFileWithoutOverwriteFails() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("twice.h5")
    try HDF5File.create(at: url).close()
    #expect(throws: HDF5Error.self) { try HDF5File.create(at: url) }
    try HDF5File.create(at: url, overwrite: true).close()
  }

  @Test func openingAMissingDatasetNamesItsPath() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try HDF5File.create(at: directory.file("empty.h5"))
    let error = try #require(throws: HDF5Error.self) { try file.root.dataset("features") }
    #expect(error.objectPath == "/features")
  }

  @Test func writtenFilesAreReadableByH5dump() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("dump.h5")
    do {
      let file = try HDF5File.create(at: url)
      let root = try file.root
      try root.setAttribute("format", "kiln.dataset/1")
      try root.createDataset("features", values: [Float(1.25), 2.5, 3.75, 5], shape: [2, 2],
                             options: HDF5DatasetOptions(chunkShape: [1, 2], compressionLevel: 1))
      try root.createStringDataset("names", values: ["alpha", "beta"])
      try file.close()
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/h5dump")
    process.arguments = [url.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(text.contains("kiln.dataset/1"))
    #expect(text.contains("3.75"))
    #expect(text.contains("\"beta\""))
    #expect(text.contains("H5T_IEEE_F32LE"))
  }
}
