import Foundation
import KilnHDF5

/// Everything about a dataset except its arrays.
public struct DatasetMetadata: Sendable, Equatable {
  public var header: DatasetHeader
  /// The format string, `kiln.dataset/1`.
  public var format: String
  /// The stored SHA-256 content fingerprint (hex).
  public var fingerprint: String
  public var rowCount: Int
  public var featureNames: [String]
  public var labelName: String
  /// Binary, multiclass or regression (`binary` for files written before label kinds existed).
  public var labelKind: LabelKind
  /// Binary `[negative, positive]` (code 1 is the positive class); multiclass the class names in
  /// code order; empty for regression.
  public var classes: [String]
  /// Sensitive attributes by name, with categories (codes index into them; −1 is missing).
  public var sensitive: [SensitiveAttribute]
  /// Row count of each split.
  public var splitSizes: [String: Int]
  /// The stored encoding, when the file was made by the importer.
  public var encoding: DatasetEncoding?

  public var featureCount: Int { featureNames.count }
  public var splitNames: [String] { splitSizes.keys.sorted() }
}

/// A sensitive attribute as described in a file.
public struct SensitiveAttribute: Sendable, Equatable {
  public var name: String
  public var categories: [String]
  public var isModelInput: Bool
}

/// An open Kiln dataset file (format v1). Opening validates the whole structure.
///
/// Not thread-safe: use one `KilnDataset` per thread (HDF5 calls are serialised process-wide).
public final class KilnDataset {
  public let url: URL
  public let metadata: DatasetMetadata
  let file: HDF5File
  let chunkCache: HDF5ChunkCache?

  private init(url: URL, file: HDF5File, metadata: DatasetMetadata, chunkCache: HDF5ChunkCache?) {
    self.url = url
    self.file = file
    self.metadata = metadata
    self.chunkCache = chunkCache
  }

  /// Opens and validates a dataset.
  /// - Parameter chunkCache: the HDF5 chunk cache of `/features` (bounded memory for streaming).
  /// - Throws: `DatasetValidationError` listing every problem, or `DatasetError` when the file is
  ///   missing or not HDF5.
  public static func open(_ url: URL, chunkCache: HDF5ChunkCache? = nil) throws -> KilnDataset {
    let file = try openFile(url, chunkCache: chunkCache)
    var problems: [String] = []
    let metadata = DatasetValidator(file: file).check(problems: &problems)
    guard problems.isEmpty, let metadata else {
      throw DatasetValidationError(path: url.path, problems: problems)
    }
    return KilnDataset(url: url, file: file, metadata: metadata, chunkCache: chunkCache)
  }

  /// Checks a file against the format; with `verifyFingerprint` the content hash is recomputed.
  /// - Returns: every problem found (empty for a valid file).
  public static func validate(_ url: URL, verifyFingerprint: Bool = true) -> [String] {
    let file: HDF5File
    do { file = try openFile(url, chunkCache: nil) } catch { return ["\(error)"] }
    var problems: [String] = []
    let validator = DatasetValidator(file: file)
    guard let metadata = validator.check(problems: &problems), problems.isEmpty else { return problems }
    validator.checkLabelValues(metadata: metadata, problems: &problems)
    guard verifyFingerprint else { return problems }
    do {
      let computed = try validator.computeFingerprint(metadata: metadata)
      if computed != metadata.fingerprint {
        problems.append("/: attribute fingerprint is \(metadata.fingerprint) but the content hashes to \(computed)")
      }
    } catch {
      problems.append("\(error)")
    }
    return problems
  }

  static func openFile(_ url: URL, chunkCache: HDF5ChunkCache?) throws -> HDF5File {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw DatasetError(.missingFile, "\(url.path): dataset file does not exist", hint: "import it with `kiln dataset import datasets/NAME/dataset.yaml`")
    }
    guard HDF5File.isHDF5(url) else {
      throw DatasetError(.invalidDataset, "\(url.path): not an HDF5 file", hint: "Kiln datasets are HDF5 files made by `kiln dataset import`")
    }
    do { return try HDF5File.open(url, chunkCache: chunkCache) } catch let error as HDF5Error {
      throw DatasetError(.invalidDataset, "\(error)")
    }
  }

  /// Re-checks the content before a run trusts the file's lineage: recomputes the fingerprint
  /// (every feature must be finite) and checks the label's values. Training and evaluation call
  /// it when they open a dataset, so a file edited after import cannot run under its old
  /// fingerprint. Costs one pass over the file (BENCHMARKS.md).
  /// - Throws: `DatasetError` naming the file and what to do.
  public func verifyContent() throws {
    let validator = DatasetValidator(file: file)
    let computed = try hdf5 { try validator.computeFingerprint(metadata: metadata) }
    guard computed == metadata.fingerprint else {
      throw DatasetError(.invalidDataset,
                         "\(url.path): the content hashes to \(computed), not the fingerprint \(metadata.fingerprint) the file records: it was changed after import, so it no longer is the data its fingerprint names",
                         hint: "re-import it with `kiln dataset import datasets/\(metadata.header.name)/dataset.yaml` (or restore the original file)")
    }
    var problems: [String] = []
    try hdf5 { validator.checkLabelValues(metadata: metadata, problems: &problems) }
    if let problem = problems.first {
      throw DatasetError(.invalidDataset, "\(url.path): \(problem)", hint: "re-import it with `kiln dataset import`")
    }
  }

  /// Each stored row's raw file and line, or `nil` for a file written before datasets kept them.
  public func rowSources() throws -> RowSources? {
    try hdf5 { try DatasetValidator(file: file).readSource() }
  }

  /// The row indices of a split, in stored (ascending) order.
  public func splitIndices(_ split: String) throws -> [Int] {
    guard metadata.splitSizes[split] != nil else {
      throw DatasetError(.invalidDataset, "\(url.path): no split '\(split)'",
                         hint: "the file has splits \(metadata.splitNames.joined(separator: ", "))")
    }
    return try hdf5 { try file.root.dataset("\(KilnDatasetFormat.splits)/\(split)").read(as: UInt32.self).map(Int.init) }
  }

  /// The regression targets of a split's rows, in stored order (without reading the features).
  public func targets(split: String) throws -> [Float] {
    precondition(metadata.labelKind == .regression, "targets(split:): \(url.path) has a \(metadata.labelKind.rawValue) label, not regression targets")
    let indices = try splitIndices(split)
    let all = try hdf5 { try file.root.dataset(KilnDatasetFormat.label).read(as: Float.self) }
    return indices.map { all[$0] }
  }

  /// Reads every row of a split: features, labels (or targets), sensitive codes and row indices.
  public func rows(split: String) throws -> Batch {
    let indices = try splitIndices(split)
    let reader = try RowReader(dataset: self, directReads: true)
    return try reader.read(sortedRows: indices)
  }

  /// Reads the given rows (any order; the batch comes back in ascending row order).
  public func rows(_ indices: [Int]) throws -> Batch {
    let reader = try RowReader(dataset: self, directReads: true)
    return try reader.read(rows: indices.sorted())
  }

  /// Reads every row in order, `batchSize` rows at a time, through one reader (so the chunk index
  /// is looked up once, not once a batch), handing each batch to `body`. The next batch is read
  /// on another thread while `body` works on the current one.
  public func forEachBatch(of batchSize: Int, _ body: (Batch) throws -> Void) throws {
    precondition(batchSize > 0, "forEachBatch: the batch size must be positive, found \(batchSize)")
    let reader = try RowReader(dataset: self, directReads: true)
    let ranges = stride(from: 0, to: metadata.rowCount, by: batchSize).map { $0..<min($0 + batchSize, metadata.rowCount) }
    /// The batch being read ahead; the group orders its write before the read of it.
    final class ReadAhead: @unchecked Sendable { var batch: Result<Batch, Error>? }
    let ahead = ReadAhead(), group = DispatchGroup()
    func readAhead(_ range: Range<Int>) {
      group.enter()
      DispatchQueue.global(qos: .userInitiated).async {
        ahead.batch = Result { try reader.read(sortedRows: Array(range)) }
        group.leave()
      }
    }
    guard let first = ranges.first else { return }
    readAhead(first)
    for index in ranges.indices {
      group.wait()
      let batch = try ahead.batch.map { try $0.get() }
      ahead.batch = nil
      if index + 1 < ranges.count { readAhead(ranges[index + 1]) }
      // A batch read ahead must finish before `body`'s error ends the reader's life.
      do {
        if let batch { try body(batch) }
      } catch {
        group.wait()
        throw error
      }
    }
  }

  /// Closes the file; the dataset must not be used afterwards.
  public func close() throws { try hdf5 { try file.close() } }

  func hdf5<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as HDF5Error { throw DatasetError(.invalidDataset, "\(error)") }
  }
}
