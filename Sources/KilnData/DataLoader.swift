import KilnRandom
import Foundation
import KilnTensor

/// Batches of a dataset split: `for batch in loader.epoch(e) { … }`.
///
/// The order of epoch e depends only on `(seed, e)`, so it is identical on every rank and
/// reproducible; each rank then takes its shard (see `DataLoaderConfiguration.Sharding`).
/// Batches are read on one dedicated I/O thread into a bounded queue; indices within a batch
/// are sorted and coalesced into contiguous reads, so a batch's rows come in ascending order.
///
/// Memory: at most `prefetchDepth` queued batches, the batch being read, the batch the caller
/// holds, the HDF5 chunk cache the dataset was opened with (used when `/features` is
/// compressed), and for chunk-aware shuffling `bufferChunks + 1` storage chunks per array; the
/// epoch's index lists are the only per-row state (8 bytes a row).
public final class DataLoader: @unchecked Sendable {
  public let dataset: KilnDataset
  public let split: String
  public let configuration: DataLoaderConfiguration
  /// The split's row indices in stored order.
  public let rows: [Int]
  /// Rows per storage chunk of `/features` (the unit of chunk-aware shuffling).
  public let chunkRows: Int
  private let errorLock = NSLock()
  private var storedError: Error?

  public init(dataset: KilnDataset, split: String, configuration: DataLoaderConfiguration) throws {
    self.dataset = dataset
    self.split = split
    self.configuration = configuration
    rows = try dataset.splitIndices(split)
    chunkRows = try dataset.hdf5 { try dataset.file.root.dataset(KilnDatasetFormat.features).chunkShape?.first } ?? 1024
  }

  /// Whole storage chunks each array keeps in memory while reading. Chunk-aware shuffling keeps
  /// its shuffle window plus one (each chunk is then read once per epoch). A fully shuffled epoch
  /// over features of at most `wholeDatasetCacheBytes` keeps every chunk once read, so the file is
  /// read once per epoch instead of once per run of rows per array: about five reads per row on
  /// Adult, 1.3 million in a 10-epoch run, each costing microseconds on a virtual machine
  /// (BENCHMARKS.md). Larger datasets, and sequential epochs, read each run directly.
  var cachedBlocks: Int {
    switch configuration.shuffle {
    case .chunks(let bufferChunks): return bufferChunks + 1
    case .full:
      let metadata = dataset.metadata
      // Sizes come from the file: a product that overflows is simply too large to cache.
      let elements = metadata.rowCount.multipliedReportingOverflow(by: metadata.featureCount)
      guard !elements.overflow, elements.partialValue <= DataLoader.wholeDatasetCacheBytes / MemoryLayout<Float>.stride
      else { return 0 }
      return (metadata.rowCount + chunkRows - 1) / Swift.max(chunkRows, 1)
    case .none: return 0
    }
  }

  /// The largest feature array (64 MiB) that a fully shuffled epoch keeps whole in memory.
  static let wholeDatasetCacheBytes = 64 << 20

  /// The error that ended the last epoch early, if any (reads that fail stop the iteration).
  public var lastError: Error? {
    errorLock.lock()
    defer { errorLock.unlock() }
    return storedError
  }

  func record(_ error: Error?) {
    errorLock.lock()
    storedError = error
    errorLock.unlock()
  }

  /// Rows this rank sees per epoch.
  public var rowsPerEpoch: Int {
    let count = rows.count, world = configuration.worldSize, rank = configuration.rank
    switch configuration.sharding {
    case .pad: return count == 0 ? 0 : (count + world - 1) / world
    case .drop: return count / world
    case .exact: return count / world + (rank < count % world ? 1 : 0)
    }
  }

  /// Batches this rank sees per epoch (the same on every rank unless sharding is `.exact`).
  public var batchesPerEpoch: Int {
    let size = configuration.batchSize
    return configuration.dropLast ? rowsPerEpoch / size : (rowsPerEpoch + size - 1) / size
  }

  /// The whole epoch order, identical on every rank.
  public func order(forEpoch epoch: Int) -> [Int] {
    var generator = SeededGenerator(seed: configuration.seed, stream: .shuffle(epoch: epoch))
    var order = rows
    switch configuration.shuffle {
    case .none:
      break
    case .full:
      generator.shuffleIndices(&order)
    case .chunks(let bufferChunks):
      // Chunk boundaries as positions in `rows` (rows of one storage chunk are consecutive).
      var starts: [Int] = []
      for position in rows.indices where position == 0 || rows[position] / chunkRows != rows[position - 1] / chunkRows {
        starts.append(position)
      }
      var chunkOrder = Array(starts.indices)
      generator.shuffleIndices(&chunkOrder)
      order.removeAll(keepingCapacity: true)
      var window: [Int] = []
      for windowStart in stride(from: 0, to: chunkOrder.count, by: bufferChunks) {
        window.removeAll(keepingCapacity: true)
        for chunk in chunkOrder[windowStart..<min(windowStart + bufferChunks, chunkOrder.count)] {
          let end = chunk + 1 < starts.count ? starts[chunk + 1] : rows.count
          window.append(contentsOf: rows[starts[chunk]..<end])
        }
        generator.shuffleIndices(&window)
        order.append(contentsOf: window)
      }
    }
    return order
  }

  /// This rank's rows for an epoch, in visiting order.
  public func shard(forEpoch epoch: Int) -> [Int] {
    var order = self.order(forEpoch: epoch)
    let world = configuration.worldSize
    switch configuration.sharding {
    case .pad:
      guard !order.isEmpty else { return [] }
      let total = (order.count + world - 1) / world * world
      var position = 0
      while order.count < total {
        order.append(order[position % order.count])
        position += 1
      }
    case .drop:
      order.removeLast(order.count % world)
    case .exact:
      break
    }
    if world == 1 { return order }
    return stride(from: configuration.rank, to: order.count, by: world).map { order[$0] }
  }

  /// This rank's batches for an epoch, each sorted ascending.
  public func batchIndices(forEpoch epoch: Int) -> [[Int]] {
    let shard = self.shard(forEpoch: epoch)
    let size = configuration.batchSize
    var batches: [[Int]] = []
    var start = 0
    while start < shard.count {
      let end = min(start + size, shard.count)
      if end - start < size && configuration.dropLast { break }
      var batch = Array(shard[start..<end])
      batch.sort()
      batches.append(batch)
      start = end
    }
    return batches
  }

  /// The batches of epoch `epoch`; iterate with `for batch in loader.epoch(e)`.
  public func epoch(_ epoch: Int) -> DataLoaderEpoch {
    DataLoaderEpoch(loader: self, batches: batchIndices(forEpoch: epoch))
  }

  /// The batches of `epoch` after its first `count`, without reading those: a run resumed from a
  /// checkpoint taken mid-epoch continues with exactly the rows an uninterrupted run would see.
  public func epoch(_ epoch: Int, skippingBatches count: Int) -> DataLoaderEpoch {
    precondition(count >= 0, "epoch(_:skippingBatches:): count \(count) must be ≥ 0")
    return DataLoaderEpoch(loader: self, batches: Array(batchIndices(forEpoch: epoch).dropFirst(count)))
  }
}

/// One epoch of batches; each iteration starts its own I/O thread.
public struct DataLoaderEpoch: Sequence {
  let loader: DataLoader
  /// This rank's batches' row indices, in order.
  public let batches: [[Int]]

  public func makeIterator() -> DataLoaderIterator {
    DataLoaderIterator(loader: loader, batches: batches)
  }

  public var underestimatedCount: Int { batches.count }
}
