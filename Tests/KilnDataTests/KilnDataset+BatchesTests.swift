import Foundation
import Testing
@testable import KilnData

/// `forEachBatch` reads the next batch on another thread while the caller works on the current one.
@Suite struct KilnDatasetBatchesTests {
  struct Failure: Error {}

  func dataset(rows: Int, in directory: TemporaryDirectory) throws -> URL {
    let url = directory.file("b.h5")
    let writer = try KilnDatasetWriter(url: url, header: DatasetHeader(name: "b", version: "1", source: "", license: ""),
                                       rowCount: rows, featureNames: ["a", "b"])
    let features = (0..<rows).flatMap { [Float($0), Float(-$0)] }
    try features.withUnsafeBufferPointer { try writer.appendFeatures($0) }
    try writer.finish(label: LabelColumn(name: "y", classes: ["no", "yes"], codes: (0..<rows).map { Int32($0 % 2) }),
                      sensitive: [], splits: ["train": (0..<rows).map { UInt32($0) }], encoding: nil)
    return url
  }

  @Test func everyRowArrivesOnceInOrderWhateverTheBatchSize() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let dataset = try KilnDataset.open(try dataset(rows: 1_003, in: directory))
    defer { try? dataset.close() }
    for batchSize in [1, 7, 1_000, 1_003, 5_000] {
      var rows: [Int] = [], features: [Float] = [], batches = 0
      try dataset.forEachBatch(of: batchSize) { batch in
        rows += batch.rowIndices
        features += batch.features
        batches += 1
      }
      #expect(rows == Array(0..<1_003), "batch size \(batchSize)")
      #expect(features == (0..<1_003).flatMap { [Float($0), Float(-$0)] })
      #expect(batches == (1_003 + batchSize - 1) / batchSize)
    }
  }

  @Test func anErrorInTheBodyStopsTheReadingAndReachesTheCaller() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let dataset = try KilnDataset.open(try dataset(rows: 100, in: directory))
    var seen = 0
    #expect(throws: Failure.self) {
      try dataset.forEachBatch(of: 10) { _ in
        seen += 1
        if seen == 3 { throw Failure() }
      }
    }
    #expect(seen == 3)
    // The file closes: no read is left running.
    try dataset.close()
  }
}
