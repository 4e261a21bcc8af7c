import Foundation
import KilnPaths
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// Writes text to a temporary file beside `url` through a buffer, then renames it into place.
final class AtomicTextWriter {
  let url: URL
  private let temporary: URL
  private let handle: FileHandle
  private var pending: [UInt8] = []

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
    pending.append(contentsOf: text.utf8)
    if pending.count >= 1 << 20 { try flush() }
  }

  /// Appends bytes already formatted (see `CSVLine`).
  func write(_ line: inout CSVLine) throws {
    pending.append(contentsOf: line.bytes)
    line.bytes.removeAll(keepingCapacity: true)
    if pending.count >= 1 << 20 { try flush() }
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
    try handle.write(contentsOf: pending)
    pending.removeAll(keepingCapacity: true)
  }
}

/// CSV output formatted as bytes: integers and six-decimal probabilities without Foundation's
/// formatting or String interpolation, which cost more than the model per scored row.
struct CSVLine {
  var bytes: [UInt8] = []

  mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

  mutating func append(byte: UInt8) { bytes.append(byte) }

  /// A decimal integer.
  mutating func append(_ value: Int) {
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    // Digits from the least significant, then reversed in place.
    let start = bytes.count
    var magnitude = value.magnitude
    repeat {
      bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    bytes[start...].reverse()
  }

  /// A probability in [0, 1] with six decimals (`fixedSix`); other values as Swift prints them.
  mutating func appendFixedSix(_ value: Double) {
    guard value.isFinite, value >= 0, value <= 1 else { append("\(value)"); return }
    let scaled = Int((value * 1_000_000).rounded())
    append(scaled / 1_000_000)
    bytes.append(UInt8(ascii: "."))
    var fraction = scaled % 1_000_000
    var divisor = 100_000
    while divisor > 0 {
      bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
      fraction %= divisor
      divisor /= 10
    }
  }
}
