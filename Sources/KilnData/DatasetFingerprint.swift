import KilnCrypto
import Foundation

/// SHA-256 over a dataset's stored content, in a fixed order, so that importing the same input
/// twice gives the same fingerprint and any change to the arrays or the encoding changes it.
///
/// Hashed, each part prefixed by a tag and its byte count: the format string; the features
/// (float32, little-endian, row-major); the feature names; the labels (int32 codes, or float32
/// targets and the kind for regression; the kind also for multiclass) and classes; each
/// sensitive attribute by name (categories, int32 codes); each split by name (uint32 indices);
/// the encoding as JSON with sorted keys; each row's source when the file has one (raw files'
/// digests, file codes, lines, filters). Descriptive attributes (name, version, source,
/// license) are not content and are not hashed.
public struct DatasetFingerprint {
  private var hasher = SHA256()

  public init() {
    update(tag: "format", bytes: Array(KilnDatasetFormat.formatString.utf8))
  }

  /// Adds a tagged block of raw bytes.
  public mutating func update(tag: String, bytes: UnsafeRawBufferPointer) {
    hasher.update("\(tag):\(bytes.count):".utf8)
    hasher.update(bytes: bytes)
  }

  /// Adds a tagged byte array.
  public mutating func update(tag: String, bytes: [UInt8]) {
    bytes.withUnsafeBytes { update(tag: tag, bytes: $0) }
  }

  /// Adds numbers in little-endian order (the machine's order on every platform Kiln builds for).
  public mutating func update<T: FixedWidthInteger>(tag: String, values: [T]) {
    values.map(\.littleEndian).withUnsafeBytes { update(tag: tag, bytes: $0) }
  }

  /// Adds a run of features; call in row order. Tag once with `beginFeatures`.
  public mutating func updateFeatures(_ values: UnsafeBufferPointer<Float>) {
    hasher.update(bytes: UnsafeRawBufferPointer(values))
  }

  /// Marks the start of the feature block.
  public mutating func beginFeatures(rowCount: Int, featureCount: Int) {
    hasher.update("features:\(rowCount)x\(featureCount):".utf8)
  }

  /// Adds strings, each NUL-terminated.
  public mutating func update(tag: String, strings: [String]) {
    update(tag: tag, bytes: strings.flatMap { Array($0.utf8) + [0] })
  }

  /// Adds the label. Binary labels hash as they did before label kinds existed (codes, classes),
  /// so binary fingerprints are unchanged; other kinds add their kind, and regression hashes the
  /// float32 targets' bit patterns.
  public mutating func updateLabel(kind: LabelKind, codes: [Int32], targets: [Float], classes: [String]) {
    if kind != .binary { update(tag: "label_kind", strings: [kind.rawValue]) }
    if kind == .regression {
      update(tag: "targets", values: targets.map(\.bitPattern))
    } else {
      update(tag: "label", values: codes)
    }
    update(tag: "classes", strings: classes)
  }

  /// Adds each row's source: the raw files' digests, the rows' file codes and lines, and the
  /// filters, so a dataset whose lineage was edited no longer matches its fingerprint. The paths
  /// are left out: they depend on where the dataset file was written.
  public mutating func updateSource(_ source: RowSources) {
    update(tag: "source/file_sha256", strings: source.fileDigests)
    update(tag: "source/file", values: source.fileCodes)
    update(tag: "source/line", values: source.lines)
    update(tag: "source/filters", strings: source.filters)
  }

  /// The hex digest.
  public func finalize() -> String {
    hasher.hexDigest()
  }
}
