import Foundation
import KilnPaths

extension HDF5File {
  /// Writes a whole file atomically: `body` fills the root group of a temporary file in the
  /// target's directory, which is then renamed over `url`. If `body` or the rename throws, the
  /// temporary file is removed and `url` is untouched; files a killed writer left are removed first.
  public static func writeAtomically(to url: URL, _ body: (HDF5Group) throws -> Void) throws {
    TemporaryFile.removeAbandoned(besides: url)
    let temporary = TemporaryFile.beside(url)
    do {
      let file = try HDF5File.create(at: temporary)
      do {
        try body(try file.root)
        try file.close()
      } catch {
        try? file.close()
        throw error
      }
      try replaceFile(at: url, with: temporary)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
  }
}

extension HDF5Group {
  /// Opens the group at a relative `path` such as `layers/0/dense`, creating missing groups.
  public func group(creatingIntermediates path: String) throws -> HDF5Group {
    var current = self
    for component in path.split(separator: "/").map(String.init) {
      current = current.contains(component) ? try current.group(component) : try current.createGroup(component)
    }
    return current
  }
}

/// Renames `temporary` over `url` with POSIX `rename`, atomic within one file system.
public func replaceFile(at url: URL, with temporary: URL) throws {
  guard rename(temporary.path, url.path) == 0 else {
    throw HDF5Error(operation: "rename into place", filePath: url.path, objectPath: "/",
                    libraryMessage: String(cString: strerror(errno)), hint: "check that the directory is writable")
  }
}
