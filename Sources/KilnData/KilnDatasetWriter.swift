import Foundation
import KilnPaths
import KilnHDF5

/// Writes a Kiln dataset file atomically: everything goes to a temporary file in the target's
/// directory, which is renamed over the target only by `finish`. An unfinished writer removes
/// its temporary file, so a failed import leaves nothing behind.
///
/// Features may be written in slabs (in row order) so datasets larger than memory can be written.
public final class KilnDatasetWriter {
  public let url: URL
  public let rowCount: Int
  public let featureCount: Int
  private let temporaryURL: URL
  private var file: HDF5File?
  private var featuresDataset: HDF5Dataset?
  private var rowsWritten = 0
  private var fingerprint = DatasetFingerprint()
  private let featureNames: [String]
  private let header: DatasetHeader

  /// Starts a dataset of `rowCount` rows with the given feature names.
  /// - Parameters:
  ///   - chunkRows: rows per chunk of `/features` (chunks span all features).
  ///   - compressionLevel: gzip level, or `nil` for uncompressed chunks (fastest random reads).
  public init(url: URL, header: DatasetHeader, rowCount: Int, featureNames: [String],
              chunkRows: Int = 1024, compressionLevel: Int? = nil) throws {
    precondition(rowCount >= 0, "KilnDatasetWriter: rowCount must be non-negative, got \(rowCount)")
    precondition(chunkRows > 0, "KilnDatasetWriter: chunkRows must be positive, got \(chunkRows)")
    self.url = url
    self.rowCount = rowCount
    self.featureCount = featureNames.count
    self.featureNames = featureNames
    self.header = header
    // An import killed before its rename left its temporary file; the next one removes it.
    TemporaryFile.removeAbandoned(besides: url)
    temporaryURL = TemporaryFile.beside(url)
    do {
      let file = try HDF5File.create(at: temporaryURL)
      self.file = file
      let chunk = [max(1, min(chunkRows, rowCount)), max(1, featureNames.count)]
      featuresDataset = try file.root.createDataset(
        KilnDatasetFormat.features, of: Float.self, shape: [rowCount, featureNames.count],
        options: HDF5DatasetOptions(chunkShape: chunk, compressionLevel: compressionLevel))
      try featuresDataset?.setAttribute("feature_names", featureNames)
    } catch let error as HDF5Error {
      discard()
      throw DatasetError(.writeFailed, "\(url.path): cannot create the dataset file: \(error)",
                         hint: "check that the directory exists and is writable")
    }
    fingerprint.beginFeatures(rowCount: rowCount, featureCount: featureNames.count)
  }

  deinit { discard() }

  /// Writes the next `values.count / featureCount` rows of features (row-major).
  public func appendFeatures(_ values: UnsafeBufferPointer<Float>) throws {
    precondition(featureCount > 0 && values.count % featureCount == 0,
                 "appendFeatures: \(values.count) values are not whole rows of \(featureCount) features")
    let rows = values.count / featureCount
    precondition(rowsWritten + rows <= rowCount, "appendFeatures: \(rowsWritten + rows) rows exceed the declared \(rowCount)")
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      let value = values[index]
      let row = rowsWritten + index / featureCount
      throw DatasetError(.nonFiniteFeature, "\(url.path): feature '\(featureNames[index % featureCount])' of row \(row) is \(value)",
                         hint: "check the raw values and the encoding (a constant column or an overflow)")
    }
    guard rows > 0, let featuresDataset else { return }
    try wrap { try featuresDataset.write(values, start: [rowsWritten, 0], count: [rows, featureCount]) }
    fingerprint.updateFeatures(values)
    rowsWritten += rows
  }

  /// Writes labels, sensitive attributes, splits, encoding and each row's source, then renames
  /// into place.
  /// - Returns: the content fingerprint.
  @discardableResult
  public func finish(label: LabelColumn, sensitive: [SensitiveColumn], splits: [String: [UInt32]],
                     encoding: DatasetEncoding?, source: RowSources? = nil) throws -> String {
    precondition(rowsWritten == rowCount, "finish: \(rowsWritten) of \(rowCount) feature rows were written")
    precondition(label.count == rowCount, "finish: \(label.count) labels for \(rowCount) rows")
    precondition(label.kind != .binary || label.classes.count == 2, "finish: a binary label needs 2 classes, found \(label.classes.count)")
    precondition(label.kind != .multiclass || label.classes.count >= 2, "finish: a multiclass label needs classes, found \(label.classes.count)")
    precondition(label.kind != .regression || label.targets.allSatisfy(\.isFinite), "finish: regression targets must be finite")
    precondition(source == nil || source!.lines.count == rowCount, "finish: \(source?.lines.count ?? 0) row sources for \(rowCount) rows")
    guard let file else { preconditionFailure("finish: the writer was already finished") }
    fingerprint.update(tag: "feature_names", strings: featureNames)
    fingerprint.updateLabel(kind: label.kind, codes: label.codes, targets: label.targets, classes: label.classes)
    try wrap {
      let root = try file.root
      let labelDataset = label.kind == .regression
        ? try root.createDataset(KilnDatasetFormat.label, values: label.targets)
        : try root.createDataset(KilnDatasetFormat.label, values: label.codes)
      try labelDataset.setAttribute("name", label.name)
      try labelDataset.setAttribute("classes", label.classes)
      try labelDataset.setAttribute(KilnDatasetFormat.labelKindAttribute, label.kind.rawValue)
      let sensitiveGroup = try root.createGroup(KilnDatasetFormat.sensitive)
      for attribute in sensitive.sorted(by: { $0.name < $1.name }) {
        precondition(attribute.codes.count == rowCount, "finish: sensitive '\(attribute.name)' has \(attribute.codes.count) codes for \(rowCount) rows")
        let dataset = try sensitiveGroup.createDataset(attribute.name, values: attribute.codes)
        try dataset.setAttribute("categories", attribute.categories)
        try dataset.setAttribute("column", attribute.column)
        try dataset.setAttribute("is_model_input", attribute.isModelInput ? 1 : 0)
        fingerprint.update(tag: "sensitive/\(attribute.name)/categories", strings: attribute.categories)
        fingerprint.update(tag: "sensitive/\(attribute.name)", values: attribute.codes)
      }
      let splitGroup = try root.createGroup(KilnDatasetFormat.splits)
      for name in splits.keys.sorted() {
        try splitGroup.createDataset(name, values: splits[name]!)
        fingerprint.update(tag: "splits/\(name)", values: splits[name]!)
      }
      let encodingGroup = try root.createGroup(KilnDatasetFormat.encoding)
      if let encoding { try writeEncoding(encoding, to: encodingGroup) }
      if let source { try writeSource(source, to: root) }
      try root.setAttribute("format", KilnDatasetFormat.formatString)
      try root.setAttribute("name", header.name)
      try root.setAttribute("version", header.version)
      try root.setAttribute("source", header.source)
      try root.setAttribute("license", header.license)
      try root.setAttribute("fingerprint", fingerprint.finalize())
    }
    let digest = fingerprint.finalize()
    featuresDataset = nil
    try wrap { try file.close() }
    self.file = nil
    do {
      try replaceFile(at: url, with: temporaryURL)
    } catch {
      discard()
      throw DatasetError(.writeFailed, "\(url.path): cannot move the finished file into place: \(error)")
    }
    return digest
  }

  /// `/source`: per-row file codes and lines, with the files and their digests as attributes.
  /// Hashed are the digests, codes, lines and filters, not the paths (which depend on where the
  /// file was written).
  private func writeSource(_ source: RowSources, to root: HDF5Group) throws {
    let group = try root.createGroup(KilnDatasetFormat.source)
    try group.setAttribute("files", source.files)
    try group.setAttribute("file_sha256", source.fileDigests)
    if !source.filters.isEmpty { try group.setAttribute("filters", source.filters) }
    try group.createDataset("file", values: source.fileCodes)
    try group.createDataset("line", values: source.lines)
    fingerprint.updateSource(source)
  }

  private func writeEncoding(_ encoding: DatasetEncoding, to group: HDF5Group) throws {
    let json = String(decoding: try DatasetEncoding.canonicalJSON(encoding), as: UTF8.self)
    fingerprint.update(tag: "encoding", bytes: Array(json.utf8))
    try group.setAttribute("spec", json)
    try group.setAttribute("feature_names", encoding.featureNames)
    try group.setAttribute("missing_policy", encoding.missingPolicy.rawValue)
    let categories = try group.createGroup("categories")
    for block in encoding.blocks where block.kind != .numeric {
      let dataset = try categories.createStringDataset(KilnDatasetFormat.objectName(block.name), values: block.categories)
      try dataset.setAttribute("column", block.name)
    }
    let numeric = encoding.blocks.filter { $0.kind == .numeric }
    try group.createStringDataset("numeric_columns", values: numeric.map(\.column))
    try group.createDataset("numeric_mean", values: numeric.map(\.mean))
    try group.createDataset("numeric_scale", values: numeric.map(\.scale))
  }

  private func wrap(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let error as HDF5Error {
      discard()
      throw DatasetError(.writeFailed, "\(url.path): writing failed: \(error)")
    } catch {
      discard()
      throw error
    }
  }

  private func discard() {
    featuresDataset = nil
    try? file?.close()
    file = nil
    try? FileManager.default.removeItem(at: temporaryURL)
  }
}

extension DatasetEncoding {
  /// JSON with sorted keys: the stored and hashed form.
  static func canonicalJSON(_ encoding: DatasetEncoding) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(encoding)
  }
}
