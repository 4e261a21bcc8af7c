import Foundation
import Testing
@testable import KilnHDF5

@Suite struct HDF5DatasetTests {
  @Test func float32MatrixRoundTripsWithShapeAndKind() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let values: [Float] = (0..<12).map { Float($0) * 0.5 }
    do {
      let file = try HDF5File.create(at: directory.file("a.h5"))
      try file.root.createDataset("matrix", values: values, shape: [3, 4])
      try file.close()
    }
    let file = try HDF5File.open(directory.file("a.h5"))
    let dataset = try file.root.dataset("matrix")
    #expect(try dataset.shape == [3, 4])
    #expect(try dataset.kind == .float32)
    #expect(try dataset.read(as: Float.self) == values)
  }

  @Test func everySupportedElementTypeRoundTrips() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try HDF5File.create(at: directory.file("types.h5"))
    let root = try file.root
    try root.createDataset("f64", values: [1.5, -2.25])
    try root.createDataset("i8", values: [Int8(-3), 7])
    try root.createDataset("i32", values: [Int32(-70_000), 5])
    try root.createDataset("u32", values: [UInt32(4_000_000_000), 1])
    #expect(try root.dataset("f64").read(as: Double.self) == [1.5, -2.25])
    #expect(try root.dataset("i8").read(as: Int8.self) == [-3, 7])
    #expect(try root.dataset("i32").read(as: Int32.self) == [-70_000, 5])
    #expect(try root.dataset("u32").read(as: UInt32.self) == [4_000_000_000, 1])
    #expect(try root.dataset("u32").kind == .uint32)
    #expect(try root.dataset("i8").kind == .int8)
  }

  @Test func chunkedCompressedHyperslabReadsReturnTheRequestedRows() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try HDF5File.create(at: directory.file("chunked.h5"))
    let values: [Float] = (0..<(100 * 3)).map(Float.init)
    let dataset = try file.root.createDataset("x", values: values, shape: [100, 3],
                                              options: HDF5DatasetOptions(chunkShape: [16, 3], compressionLevel: 4))
    #expect(try dataset.chunkShape == [16, 3])
    var buffer = [Float](repeating: -1, count: 9)
    try buffer.withUnsafeMutableBufferPointer { try dataset.readRows(40..<43, into: $0) }
    #expect(buffer == Array(values[120..<129]))
  }

  @Test func hyperslabWritesFillOnlyTheirRegion() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try HDF5File.create(at: directory.file("slab.h5"))
    let dataset = try file.root.createDataset("x", of: Int32.self, shape: [4, 2], options: HDF5DatasetOptions(chunkShape: [2, 2]))
    let patch: [Int32] = [7, 8, 9, 10]
    try patch.withUnsafeBufferPointer { try dataset.write($0, start: [1, 0], count: [2, 2]) }
    #expect(try dataset.read(as: Int32.self) == [0, 0, 7, 8, 9, 10, 0, 0])
  }

  @Test func pointSelectionReadsScatteredElements() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try HDF5File.create(at: directory.file("points.h5"))
    let dataset = try file.root.createDataset("x", values: (0..<20).map(Float.init), shape: [5, 4])
    var buffer = [Float](repeating: 0, count: 3)
    try buffer.withUnsafeMutableBufferPointer { try dataset.readPoints([[4, 3], [0, 1], [2, 2]], into: $0) }
    #expect(buffer == [19, 1, 10])
  }

  @Test func stringDatasetsRoundTripUnicode() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = try HDF5File.create(at: directory.file("strings.h5"))
    let names = ["age", "Married-civ-spouse", "Zürich", ""]
    try file.root.createStringDataset("names", values: names)
    #expect(try file.root.dataset("names").readStrings() == names)
    #expect(try file.root.dataset("names").kind == .string)
  }

  @Test func chunkCacheSettingsAreAcceptedOnOpen() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    do {
      let file = try HDF5File.create(at: directory.file("cache.h5"))
      try file.root.createDataset("x", values: [Float](repeating: 1, count: 64), shape: [16, 4], options: HDF5DatasetOptions(chunkShape: [4, 4]))
    }
    let file = try HDF5File.open(directory.file("cache.h5"), chunkCache: HDF5ChunkCache(bytes: 4096, slots: 101))
    let dataset = try file.root.dataset("x", chunkCache: HDF5ChunkCache(bytes: 1 << 16))
    #expect(try dataset.read(as: Float.self).reduce(0, +) == 64)
  }
}
