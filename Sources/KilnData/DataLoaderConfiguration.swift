/// How a `DataLoader` orders, shards, batches and prefetches a split.
public struct DataLoaderConfiguration: Sendable, Equatable {
  /// The order of rows within an epoch.
  public enum Shuffle: Sendable, Equatable {
    /// Stored order.
    case none
    /// A full random permutation per epoch (Fisher–Yates from the epoch's generator).
    case full
    /// Out-of-core order: shuffle the order of storage chunks, then shuffle rows within a
    /// window of `bufferChunks` consecutive chunks. Reads stay within a few chunks at a time.
    case chunks(bufferChunks: Int)
  }

  /// How ranks share the rows, with `torch.utils.data.DistributedSampler` semantics: the epoch's
  /// order is the same on every rank and rank r takes positions r, r + W, r + 2W, ….
  public enum Sharding: Sendable, Equatable {
    /// Repeat rows from the start of the order until the count divides by the world size:
    /// every rank gets ⌈N / W⌉ rows; a few rows are seen twice per epoch.
    case pad
    /// Drop the last N mod W rows of the order: every rank gets ⌊N / W⌋ rows.
    case drop
    /// Neither pad nor drop (for evaluation): every row is seen exactly once across ranks;
    /// rank counts may differ by one row, and so batch counts may differ.
    case exact
  }

  public var batchSize: Int
  /// Whether a final batch smaller than `batchSize` is left out.
  public var dropLast: Bool
  public var shuffle: Shuffle
  /// Seed of the epoch order: epoch e uses the stream `RandomStream.shuffle(epoch: e)` on every rank.
  public var seed: UInt64
  public var rank: Int
  public var worldSize: Int
  public var sharding: Sharding
  /// Batches read ahead on the I/O thread (the queue's capacity); 0 reads on the caller's thread.
  public var prefetchDepth: Int
  /// Read unfiltered `/features` with `pread` at offsets from HDF5's chunk index (fast random
  /// access); `false` reads every run through HDF5 and its chunk cache.
  public var directReads: Bool

  public init(batchSize: Int, dropLast: Bool = false, shuffle: Shuffle = .none, seed: UInt64 = 0,
              rank: Int = 0, worldSize: Int = 1, sharding: Sharding = .pad, prefetchDepth: Int = 2,
              directReads: Bool = true) {
    precondition(batchSize > 0, "DataLoaderConfiguration: batchSize must be positive, got \(batchSize)")
    precondition(worldSize > 0, "DataLoaderConfiguration: worldSize must be positive, got \(worldSize)")
    precondition((0..<worldSize).contains(rank), "DataLoaderConfiguration: rank \(rank) is outside 0..<\(worldSize)")
    precondition(prefetchDepth >= 0, "DataLoaderConfiguration: prefetchDepth must be non-negative, got \(prefetchDepth)")
    if case .chunks(let buffer) = shuffle {
      precondition(buffer > 0, "DataLoaderConfiguration: bufferChunks must be positive, got \(buffer)")
    }
    self.batchSize = batchSize
    self.dropLast = dropLast
    self.shuffle = shuffle
    self.seed = seed
    self.rank = rank
    self.worldSize = worldSize
    self.sharding = sharding
    self.prefetchDepth = prefetchDepth
    self.directReads = directReads
  }
}
