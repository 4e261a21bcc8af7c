import Foundation
import KilnPaths

/// Writes text to a temporary file beside `url` through a buffer, then renames it into place.
final class AtomicTextWriter {
  let url: URL
  private let temporary: URL
  private let handle: FileHandle
  private var pending = ""

  init(url: URL) throws {
    self.url = url
    TemporaryFile.removeAbandoned(besides: url)
    temporary = TemporaryFile.beside(url)
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
          let handle = FileHandle(forWritingAtPath: temporary.path) else {
      throw MonitoringError("\(url.path): cannot create the output file", hint: "check that the directory exists and is writable")
    }
    self.handle = handle
  }

  func write(_ text: String) throws {
    pending += text
    if pending.utf8.count >= 1 << 20 { try flush() }
  }

  /// Flushes, closes and renames the file into place.
  func commit() throws {
    try flush()
    try handle.close()
    guard rename(temporary.path, url.path) == 0 else {
      throw MonitoringError("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
    }
  }

  /// Closes and removes the temporary file (after a failure).
  func discard() {
    try? handle.close()
    try? FileManager.default.removeItem(at: temporary)
  }

  private func flush() throws {
    guard !pending.isEmpty else { return }
    try handle.write(contentsOf: Data(pending.utf8))
    pending = ""
  }
}
