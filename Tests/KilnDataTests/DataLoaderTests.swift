import Foundation
import Testing
@testable import KilnData

@Suite struct DataLoaderTests {
  private func loader(rows: Int = 50, chunkRows: Int = 4, compression: Int? = nil, split: String = "train",
                      splits: [String: [UInt32]]? = nil, _ configuration: DataLoaderConfiguration) throws -> (DataLoader, TemporaryDirectory) {
    let directory = try TemporaryDirectory()
    let url = directory.file("synthetic.h5")
    try writeSyntheticDataset(at: url, rows: rows, chunkRows: chunkRows, compressionLevel: compression, splits: splits)
    return (try DataLoader(dataset: KilnDataset.open(url), split: split, configuration: configuration), directory)
  }

  @Test func sequentialEpochReturnsEveryRowWithItsFeaturesLabelAndGroup() throws {
    let (loader, directory) = try loader(DataLoaderConfiguration(batchSize: 8))
    defer { directory.remove() }
    let batches = Array(loader.epoch(0))
    #expect(batches.count == 7)
    #expect(batches.flatMap(\.rowIndices) == Array(0..<50))
    for batch in batches {
      for (position, row) in batch.rowIndices.enumerated() {
        #expect(Array(batch.features(ofRow: position)) == [Float(row * 10), Float(row * 10 + 1), Float(row * 10 + 2)])
        #expect(batch.labels[position] == Int32(row % 2))
        #expect(batch.sensitive["group"]?[position] == Int32(row % 3))
      }
    }
    #expect(loader.lastError == nil)
  }

  @Test func compressedStorageReadsTheSameRowsThroughHDF5() throws {
    let configuration = DataLoaderConfiguration(batchSize: 16, shuffle: .full, seed: 3)
    let (direct, first) = try loader(configuration)
    let (filtered, second) = try loader(compression: 5, configuration)
    defer { first.remove(); second.remove() }
    let reader = try RowReader(dataset: filtered.dataset, directReads: true)
    #expect(!reader.readsDirectly)
    #expect(try RowReader(dataset: direct.dataset, directReads: true).readsDirectly)
    #expect(Array(direct.epoch(2)) == Array(filtered.epoch(2)))
  }

  @Test func shuffledOrderDependsOnlyOnSeedAndEpoch() throws {
    let (loader, directory) = try loader(DataLoaderConfiguration(batchSize: 10, shuffle: .full, seed: 11))
    defer { directory.remove() }
    let (other, otherDirectory) = try self.loader(DataLoaderConfiguration(batchSize: 10, shuffle: .full, seed: 12))
    defer { otherDirectory.remove() }
    #expect(loader.order(forEpoch: 1) == loader.order(forEpoch: 1))
    #expect(loader.order(forEpoch: 1) != loader.order(forEpoch: 2))
    #expect(loader.order(forEpoch: 1) != other.order(forEpoch: 1))
    #expect(loader.order(forEpoch: 1).sorted() == Array(0..<50))
    #expect(Array(loader.epoch(4)).map(\.rowIndices) == Array(loader.epoch(4)).map(\.rowIndices))
    for batch in loader.epoch(4) { #expect(batch.rowIndices == batch.rowIndices.sorted()) }
  }

  @Test func chunkShuffleIsAPermutationThatStaysWithinBufferWindows() throws {
    let (loader, directory) = try loader(rows: 64, chunkRows: 4, DataLoaderConfiguration(batchSize: 8, shuffle: .chunks(bufferChunks: 2), seed: 5))
    defer { directory.remove() }
    let order = loader.order(forEpoch: 0)
    #expect(order.sorted() == Array(0..<64))
    #expect(order != Array(0..<64))
    for window in stride(from: 0, to: 64, by: 8) {
      let chunks = Set(order[window..<(window + 8)].map { $0 / 4 })
      #expect(chunks.count == 2)
    }
    #expect(loader.order(forEpoch: 0) == order)
    #expect(loader.order(forEpoch: 1) != order)
  }

  @Test func paddedShardsAreEqualDisjointWithinAnEpochAndCoverEveryRow() throws {
    var shards: [[Int]] = []
    var batchCounts: [Int] = []
    for rank in 0..<3 {
      let (loader, directory) = try loader(rows: 10, DataLoaderConfiguration(batchSize: 2, shuffle: .full, seed: 9, rank: rank, worldSize: 3))
      defer { directory.remove() }
      shards.append(loader.shard(forEpoch: 0))
      batchCounts.append(Array(loader.epoch(0)).count)
    }
    #expect(shards.map(\.count) == [4, 4, 4])
    #expect(Set(batchCounts).count == 1)
    #expect(Set(shards.flatMap { $0 }) == Set(0..<10))
    // 12 slots for 10 rows: exactly two rows are repeated by padding.
    #expect(shards.flatMap { $0 }.count - Set(shards.flatMap { $0 }).count == 2)
  }

  @Test func droppedShardsAreDisjointAndEqual() throws {
    var shards: [[Int]] = []
    for rank in 0..<3 {
      let (loader, directory) = try loader(rows: 10, DataLoaderConfiguration(batchSize: 2, shuffle: .full, seed: 9, rank: rank, worldSize: 3, sharding: .drop))
      defer { directory.remove() }
      shards.append(loader.shard(forEpoch: 0))
    }
    #expect(shards.map(\.count) == [3, 3, 3])
    #expect(Set(shards.flatMap { $0 }).count == 9)
  }

  @Test func exactShardingSeesEveryRowExactlyOnceAcrossRanks() throws {
    var seen: [Int] = []
    for rank in 0..<4 {
      let (loader, directory) = try loader(rows: 10, DataLoaderConfiguration(batchSize: 3, shuffle: .full, seed: 2, rank: rank, worldSize: 4, sharding: .exact))
      defer { directory.remove() }
      seen += loader.epoch(0).flatMap(\.rowIndices)
    }
    #expect(seen.sorted() == Array(0..<10))
  }

  @Test func dropLastLeavesOutThePartialBatch() throws {
    let (loader, directory) = try loader(DataLoaderConfiguration(batchSize: 8, dropLast: true))
    defer { directory.remove() }
    #expect(loader.batchesPerEpoch == 6)
    #expect(Array(loader.epoch(0)).allSatisfy { $0.rowCount == 8 })
  }

  @Test func loaderReadsOnlyTheRequestedSplit() throws {
    let (loader, directory) = try loader(rows: 20, split: "test", splits: ["train": (0..<15).map { $0 }, "test": (15..<20).map { $0 }],
                                         DataLoaderConfiguration(batchSize: 4))
    defer { directory.remove() }
    #expect(loader.epoch(0).flatMap(\.rowIndices) == Array(15..<20))
  }

  @Test func prefetchQueueNeverHoldsMoreThanItsDepthAndEarlyExitStops() throws {
    let (loader, directory) = try loader(rows: 200, DataLoaderConfiguration(batchSize: 4, prefetchDepth: 3))
    defer { directory.remove() }
    let iterator = loader.epoch(0).makeIterator()
    var count = 0
    while let _ = iterator.next() { count += 1 }
    #expect(count == 50)
    #expect(iterator.queueHighWaterMark <= 3)
    for (index, _) in loader.epoch(1).enumerated() where index == 2 { break }
    #expect(Array(loader.epoch(2)).count == 50)
  }

  @Test func readingWithoutPrefetchGivesTheSameBatches() throws {
    let (prefetching, first) = try loader(DataLoaderConfiguration(batchSize: 7, shuffle: .full, seed: 1))
    let (inline, second) = try loader(DataLoaderConfiguration(batchSize: 7, shuffle: .full, seed: 1, prefetchDepth: 0))
    defer { first.remove(); second.remove() }
    #expect(Array(prefetching.epoch(3)) == Array(inline.epoch(3)))
  }

  @Test func chunkShuffledBatchesMatchWithAndWithoutTheBlockCache() throws {
    let (cached, first) = try loader(rows: 100, chunkRows: 8, DataLoaderConfiguration(batchSize: 6, shuffle: .chunks(bufferChunks: 3), seed: 8))
    let (viaHDF5, second) = try loader(rows: 100, chunkRows: 8, DataLoaderConfiguration(batchSize: 6, shuffle: .chunks(bufferChunks: 3), seed: 8, directReads: false))
    defer { first.remove(); second.remove() }
    #expect(cached.cachedBlocks == 4)
    let batches = Array(cached.epoch(1))
    #expect(batches == Array(viaHDF5.epoch(1)))
    #expect(batches.flatMap(\.rowIndices).sorted() == Array(0..<100))
    for batch in batches {
      for (position, row) in batch.rowIndices.enumerated() { #expect(batch.features(ofRow: position).first == Float(row * 10)) }
    }
  }

  @Test func aSmallFullyShuffledDatasetIsReadThroughAWholeBlockCache() throws {
    let (cached, first) = try loader(rows: 100, chunkRows: 8, DataLoaderConfiguration(batchSize: 6, shuffle: .full, seed: 8))
    let (viaHDF5, second) = try loader(rows: 100, chunkRows: 8, DataLoaderConfiguration(batchSize: 6, shuffle: .full, seed: 8, directReads: false))
    let (sequential, third) = try loader(rows: 100, chunkRows: 8, DataLoaderConfiguration(batchSize: 6, shuffle: .none))
    defer { first.remove(); second.remove(); third.remove() }
    #expect(cached.cachedBlocks == 13)
    #expect(sequential.cachedBlocks == 0)
    for epoch in 0..<2 {
      let batches = Array(cached.epoch(epoch))
      #expect(batches == Array(viaHDF5.epoch(epoch)))
      #expect(batches.flatMap(\.rowIndices).sorted() == Array(0..<100))
      for batch in batches {
        for (position, row) in batch.rowIndices.enumerated() { #expect(batch.features(ofRow: position).first == Float(row * 10)) }
      }
    }
  }

  @Test func contiguousRunsAreCoalesced() {
    #expect(RowReader.runs(of: [1, 2, 3, 7, 9, 10]) == [1..<4, 7..<8, 9..<11])
    #expect(RowReader.runs(of: []) == [])
  }
}
