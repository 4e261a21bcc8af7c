import Foundation
import KilnHDF5

/// Reads sets of rows from a dataset with as few reads as possible: indices are sorted and
/// coalesced into contiguous runs; each run is one read per array.
///
/// When `/features` is stored without filters, runs are read with `pread` at offsets taken once
/// from HDF5's chunk index, bypassing the chunk cache (a random row then costs one small read,
/// not a whole chunk). Otherwise runs are hyperslab reads through HDF5. Used by one thread.
final class RowReader {
  private let features: ArraySource<Float>
  /// Class codes, or `nil` for a regression label (read through `targets`).
  private let label: ArraySource<Int32>?
  private let targets: ArraySource<Float>?
  private let sensitive: [(String, ArraySource<Int32>)]
  let featureCount: Int
  let rowCount: Int
  private var descriptor: Int32 = -1

  /// - Parameter cachedBlocks: when positive, direct reads go through a cache of that many
  ///   whole storage chunks per array (for chunk-shuffled epochs, whose batches revisit the same
  ///   few chunks); 0 reads each run on its own (for fully shuffled epochs).
  init(dataset: KilnDataset, directReads: Bool, cachedBlocks: Int = 0) throws {
    featureCount = dataset.metadata.featureCount
    rowCount = dataset.metadata.rowCount
    let path = dataset.url.path
    if directReads { descriptor = Foundation.open(path, O_RDONLY) }
    let fd = descriptor
    let regression = dataset.metadata.labelKind == .regression
    (features, label, targets, sensitive) = try dataset.hdf5 {
      let root = try dataset.file.root
      let featureDataset = try root.dataset(KilnDatasetFormat.features, chunkCache: dataset.chunkCache)
      let blockRows = try featureDataset.chunkShape?.first ?? 1024
      let cache = BlockCacheSettings(blockRows: blockRows, blocks: cachedBlocks)
      let features = try ArraySource<Float>(featureDataset, descriptor: fd, cache: cache)
      let labelDataset = try root.dataset(KilnDatasetFormat.label)
      let label = regression ? nil : try ArraySource<Int32>(labelDataset, descriptor: fd, cache: cache)
      let targets = regression ? try ArraySource<Float>(labelDataset, descriptor: fd, cache: cache) : nil
      let sensitive = try dataset.metadata.sensitive.map {
        ($0.name, try ArraySource<Int32>(root.dataset("\(KilnDatasetFormat.sensitive)/\($0.name)"), descriptor: fd, cache: cache))
      }
      return (features, label, targets, sensitive)
    }
  }

  deinit { if descriptor >= 0 { Foundation.close(descriptor) } }

  /// Whether feature rows are read directly rather than through HDF5.
  var readsDirectly: Bool { features.layout != nil }

  /// Reads ascending row indices that may repeat (padding), reading each distinct row once.
  func read(rows: [Int]) throws -> Batch {
    var unique: [Int] = []
    unique.reserveCapacity(rows.count)
    for row in rows where unique.last != row { unique.append(row) }
    if unique.count == rows.count { return try read(sortedRows: rows) }
    let distinct = try read(sortedRows: unique)
    var position = 0
    var positions: [Int] = []
    for row in rows {
      while unique[position] != row { position += 1 }
      positions.append(position)
    }
    return Batch(features: positions.flatMap { distinct.features(ofRow: $0) }, rowCount: rows.count, featureCount: featureCount,
                 labels: distinct.labels.isEmpty ? [] : positions.map { distinct.labels[$0] },
                 targets: distinct.targets.isEmpty ? [] : positions.map { distinct.targets[$0] }, sensitive: distinct.sensitive.mapValues { codes in positions.map { codes[$0] } },
                 rowIndices: rows)
  }

  /// Reads ascending, distinct, in-range row indices into a batch.
  func read(sortedRows rows: [Int]) throws -> Batch {
    let runs = RowReader.runs(of: rows)
    if let first = runs.first, let last = runs.last {
      precondition(first.lowerBound >= 0 && last.upperBound <= rowCount, "RowReader: rows \(first.lowerBound)..<\(last.upperBound) lie outside 0..<\(rowCount)")
    }
    // The reads below write every element (the runs cover every row), so the arrays are not
    // zeroed first: at 4,096 rows × 64 features that would be a 1 MiB memset a batch.
    func filled<T>(_ source: ArraySource<T>, width: Int) throws -> [T] {
      try [T](unsafeUninitializedCapacity: rows.count * width) { buffer, count in
        count = buffer.count
        try source.read(rows, runs: runs, into: buffer, width: width)
      }
    }
    let featureValues = try filled(features, width: featureCount)
    let labels = try label.map { try filled($0, width: 1) } ?? []
    let targetValues = try targets.map { try filled($0, width: 1) } ?? []
    let codes = try sensitive.map { try filled($0.1, width: 1) }
    var sensitiveCodes: [String: [Int32]] = [:]
    for (index, attribute) in sensitive.enumerated() { sensitiveCodes[attribute.0] = codes[index] }
    return Batch(features: featureValues, rowCount: rows.count, featureCount: featureCount, labels: labels,
                 targets: targetValues, sensitive: sensitiveCodes, rowIndices: rows)
  }

  /// Splits ascending indices into maximal contiguous runs.
  static func runs(of sortedRows: [Int]) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var start = 0
    while start < sortedRows.count {
      var end = start + 1
      while end < sortedRows.count && sortedRows[end] == sortedRows[end - 1] + 1 { end += 1 }
      precondition(end == sortedRows.count || sortedRows[end] > sortedRows[end - 1],
                   "RowReader: row indices must be ascending and distinct, found \(sortedRows[end - 1]) before \(sortedRows[end])")
      runs.append(sortedRows[start]..<(sortedRows[end - 1] + 1))
      start = end
    }
    return runs
  }
}

/// Rows per cached block and how many blocks each array keeps.
struct BlockCacheSettings {
  var blockRows: Int
  var blocks: Int
}

/// One array read by row runs, directly with `pread` when its layout allows, else via HDF5.
/// Direct reads may go through a small least-recently-used cache of whole blocks.
final class ArraySource<T: HDF5Element> {
  let dataset: HDF5Dataset
  let layout: HDF5RawRowLayout?
  private let descriptor: Int32
  private let cache: BlockCacheSettings
  private let rowCount: Int
  /// Cached blocks by block index (`nil` when not resident), their last use, and the resident set.
  private var blocks: [UnsafeMutableRawBufferPointer?] = []
  private var lastUse: [Int] = []
  private var resident: [Int] = []
  private var clock = 0

  init(_ dataset: HDF5Dataset, descriptor: Int32, cache: BlockCacheSettings = BlockCacheSettings(blockRows: 1, blocks: 0)) throws {
    self.dataset = dataset
    self.descriptor = descriptor
    self.cache = cache
    rowCount = try dataset.shape.first ?? 0
    layout = descriptor >= 0 ? try dataset.rawRowLayout(of: T.self) : nil
    if cache.blocks > 0 {
      let count = (rowCount + cache.blockRows - 1) / cache.blockRows
      blocks = Array(repeating: nil, count: count)
      lastUse = Array(repeating: 0, count: count)
    }
  }

  deinit { for index in resident { blocks[index]?.deallocate() } }

  /// Reads ascending `rows` (also given as contiguous `runs`) into consecutive rows of `buffer`
  /// (`width` elements a row): row by row from cached blocks when the block cache is on, else one
  /// read per run.
  func read(_ rows: [Int], runs: [Range<Int>], into buffer: UnsafeMutableBufferPointer<T>, width: Int) throws {
    if cache.blocks > 0, let layout {
      try gather(rows, layout: layout, into: UnsafeMutableRawPointer(buffer.baseAddress!))
      return
    }
    var position = 0
    for run in runs {
      try read(run, into: UnsafeMutableBufferPointer(rebasing: buffer[(position * width)...]))
      position += run.count
    }
  }

  func read(_ run: Range<Int>, into buffer: UnsafeMutableBufferPointer<T>) throws {
    guard let layout else {
      do { try dataset.readRows(run, into: buffer) } catch let error as HDF5Error { throw DatasetError(.invalidDataset, "\(error)") }
      return
    }
    let destination = UnsafeMutableRawPointer(buffer.baseAddress!)
    if cache.blocks > 0 {
      try readThroughCache(run, layout: layout, into: destination)
    } else {
      try readDirect(run, layout: layout, into: destination)
    }
  }

  /// Copies each row from its cached block; sorted rows change block only a few times a batch.
  private func gather(_ rows: [Int], layout: HDF5RawRowLayout, into destination: UnsafeMutableRawPointer) throws {
    let rowBytes = layout.rowBytes
    let blockRows = cache.blockRows
    var currentBlock = -1
    var base = UnsafeRawPointer(destination)
    var target = destination
    for row in rows {
      let block = row / blockRows
      if block != currentBlock {
        base = UnsafeRawPointer(try cachedBlock(block, layout: layout).baseAddress!) - block * blockRows * rowBytes
        currentBlock = block
      }
      target.copyMemory(from: base + row * rowBytes, byteCount: rowBytes)
      target += rowBytes
    }
  }

  private func readThroughCache(_ run: Range<Int>, layout: HDF5RawRowLayout, into destination: UnsafeMutableRawPointer) throws {
    var row = run.lowerBound
    var target = destination
    while row < run.upperBound {
      let blockIndex = row / cache.blockRows
      let blockStart = blockIndex * cache.blockRows
      let end = min(run.upperBound, blockStart + cache.blockRows)
      let block = try cachedBlock(blockIndex, layout: layout)
      let bytes = (end - row) * layout.rowBytes
      target.copyMemory(from: block.baseAddress! + (row - blockStart) * layout.rowBytes, byteCount: bytes)
      target += bytes
      row = end
    }
  }

  private func cachedBlock(_ index: Int, layout: HDF5RawRowLayout) throws -> UnsafeMutableRawBufferPointer {
    clock += 1
    lastUse[index] = clock
    if let block = blocks[index] { return block }
    if resident.count >= cache.blocks {
      let position = resident.indices.min { lastUse[resident[$0]] < lastUse[resident[$1]] }!
      blocks[resident[position]]?.deallocate()
      blocks[resident[position]] = nil
      resident.remove(at: position)
    }
    let start = index * cache.blockRows
    let rows = min(cache.blockRows, rowCount - start)
    let data = UnsafeMutableRawBufferPointer.allocate(byteCount: rows * layout.rowBytes, alignment: 16)
    do { try readDirect(start..<(start + rows), layout: layout, into: data.baseAddress!) } catch {
      data.deallocate()
      throw error
    }
    blocks[index] = data
    resident.append(index)
    return data
  }

  private func readDirect(_ run: Range<Int>, layout: HDF5RawRowLayout, into destination: UnsafeMutableRawPointer) throws {
    var row = run.lowerBound
    var destination = destination
    while row < run.upperBound {
      let chunkEnd = min(run.upperBound, (row / layout.chunkRows + 1) * layout.chunkRows)
      let bytes = (chunkEnd - row) * layout.rowBytes
      var done = 0
      while done < bytes {
        let count = pread(descriptor, destination + done, bytes - done, off_t(layout.offset(ofRow: row)) + off_t(done))
        guard count > 0 else {
          throw DatasetError(.invalidDataset, "\(dataset.file.path):\(dataset.path): short read at row \(row): \(String(cString: strerror(errno)))")
        }
        done += count
      }
      destination += bytes
      row = chunkEnd
    }
  }
}
