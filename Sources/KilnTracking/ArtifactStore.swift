import KilnCrypto
import Foundation
import KilnPaths

/// Content-addressed artifact files: each file is stored once, under `sha256/<first two hex
/// digits>/<digest>` in the artifacts directory, whatever logical names runs give it.
public struct ArtifactStore: Sendable {
  /// The artifacts directory (`.kiln/artifacts/`).
  public let directory: URL

  public init(directory: URL) {
    self.directory = directory
  }

  /// Checks a logical artifact name against the naming rule (`KilnPaths.Name`, kind
  /// `artifact`): names joined by `/`, so never absolute, never `..`, `.` or empty parts.
  /// - Returns: the name unchanged.
  public static func validate(name: String) throws -> String {
    if let problem = Name.problem(with: name, kind: .artifact) {
      throw TrackingError(.invalidArtifactName, "artifact name '\(name)' breaks the naming rule: \(problem)",
                          hint: "use a relative name such as 'model/checkpoint.h5': names joined by '/', each \(Name.rule)")
    }
    return name
  }

  /// Copies `file` into the store (unless the same content is already there) and returns its
  /// digest, size and storage path. The copy is written to a temporary file and renamed.
  public func store(file: URL) throws -> (sha256: String, size: Int64, storagePath: String) {
    guard let input = FileHandle(forReadingAtPath: file.path) else {
      throw TrackingError(.missingArtifactFile, "cannot read artifact file \(file.path)",
                          hint: "check that the file exists and is readable")
    }
    defer { try? input.close() }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let temporary = directory.appendingPathComponent(".incoming-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)
    guard let output = FileHandle(forWritingAtPath: temporary.path) else {
      throw TrackingError(.missingArtifactFile, "cannot write into the artifact store \(directory.path)",
                          hint: "check that the directory is writable")
    }
    var hasher = SHA256()
    var size: Int64 = 0
    do {
      while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
        hasher.update(chunk)
        try output.write(contentsOf: chunk)
        size += Int64(chunk.count)
      }
      try output.synchronize()
      try output.close()
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
    let digest = hasher.hexDigest()
    let storagePath = "sha256/\(digest.prefix(2))/\(digest)"
    let destination = directory.appendingPathComponent(storagePath)
    try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    if FileManager.default.fileExists(atPath: destination.path) {
      try? FileManager.default.removeItem(at: temporary)
    } else if rename(temporary.path, destination.path) != 0 {
      try? FileManager.default.removeItem(at: temporary)
      throw TrackingError(.missingArtifactFile, "cannot move artifact into \(destination.path) (errno \(errno))",
                          hint: "check that the artifact directory is writable")
    }
    return (digest, size, storagePath)
  }

  /// Where an artifact's content lives.
  public func url(for artifact: ArtifactRecord) -> URL {
    directory.appendingPathComponent(artifact.storagePath)
  }
}
