import Crypto
import Foundation

/// Reads a text file line by line in fixed-size chunks (so files larger than memory stream), and
/// hashes every byte read (SHA-256) for the input's fingerprint.
final class LineStream {
  private let handle: FileHandle
  private let chunkSize: Int
  private var buffer: [UInt8] = []
  private var position = 0
  private var atEnd = false
  private var hasher = SHA256()
  /// The 1-based number of the last line returned.
  private(set) var lineNumber = 0

  init(url: URL, chunkSize: Int = 1 << 22) throws {
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw MonitoringError("\(url.path): cannot open the input file", hint: "check the path")
    }
    self.handle = handle
    self.chunkSize = chunkSize
  }

  deinit { try? handle.close() }

  /// The next line without its terminator (`\n` or `\r\n`), or `nil` at the end of the file.
  func nextLine() throws -> String? {
    while true {
      if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
        var end = newline
        if end > position && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: buffer[position..<end], as: UTF8.self)
        position = newline + 1
        lineNumber += 1
        return line
      }
      if atEnd {
        guard position < buffer.count else { return nil }
        let line = String(decoding: buffer[position...], as: UTF8.self)
        position = buffer.count
        lineNumber += 1
        return line
      }
      try refill()
    }
  }

  /// The SHA-256 of the bytes read so far, hex (the whole file once `nextLine()` returned `nil`).
  var fingerprint: String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }

  private func refill() throws {
    buffer.removeFirst(position)
    position = 0
    let data = try handle.read(upToCount: chunkSize) ?? Data()
    if data.isEmpty { atEnd = true; return }
    hasher.update(data: data)
    buffer.append(contentsOf: data)
  }
}

/// Writes text to a temporary file beside `url` through a buffer, then renames it into place.
final class AtomicTextWriter {
  let url: URL
  private let temporary: URL
  private let handle: FileHandle
  private var pending = ""

  init(url: URL) throws {
    self.url = url
    temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
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
