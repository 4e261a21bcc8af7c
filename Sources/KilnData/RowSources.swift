import KilnCrypto
import Foundation

/// Where each stored row came from: a raw file and the physical line its record starts on
/// (`/source` in the file; docs/DATASETS.md). With it, `kiln dataset export` gives back a split's
/// raw rows exactly as they were in the source.
public struct RowSources: Sendable, Equatable {
  /// The raw files, as paths relative to the dataset file's folder (absolute when they share no
  /// folder with it).
  public var files: [String]
  /// The SHA-256 (hex) of each raw file when it was imported, so a changed file is detected.
  public var fileDigests: [String]
  /// Per stored row, the index of its file in `files`.
  public var fileCodes: [Int32]
  /// Per stored row, the 1-based physical line its record starts on.
  public var lines: [Int64]
  /// The recipe's row filters the import applied (`filters:`), as written.
  public var filters: [String]

  public init(files: [String], fileDigests: [String], fileCodes: [Int32], lines: [Int64], filters: [String]) {
    precondition(files.count == fileDigests.count, "RowSources: \(files.count) files but \(fileDigests.count) digests")
    precondition(fileCodes.count == lines.count, "RowSources: \(fileCodes.count) file codes but \(lines.count) lines")
    self.files = files
    self.fileDigests = fileDigests
    self.fileCodes = fileCodes
    self.lines = lines
    self.filters = filters
  }

  /// The SHA-256 (hex) of a file's bytes.
  public static func digest(of url: URL) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw DatasetError(.missingFile, "\(url.path): cannot open the raw file", hint: "check that it exists and is readable")
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty { hasher.update(chunk) }
    return hasher.hexDigest()
  }

  /// `file` relative to `directory` (`../adult/raw/adult.data`); absolute when they share no
  /// folder beyond the root.
  public static func relativePath(of file: URL, from directory: URL) -> String {
    let target = file.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    let base = directory.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    var shared = 0
    while shared < min(target.count, base.count) && target[shared] == base[shared] { shared += 1 }
    guard shared > 1 else { return file.standardizedFileURL.path }
    return (Array(repeating: "..", count: base.count - shared) + target[shared...]).joined(separator: "/")
  }
}
