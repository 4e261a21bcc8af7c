import CZlib
import KilnCrypto
import Foundation

/// The bytes of a delimited file as UTF-8, in chunks: read from disk (or memory), gunzipped when
/// the file starts with gzip's magic bytes, transcoded from Latin-1 when asked. Every byte read
/// from disk is hashed (SHA-256), so callers can fingerprint exactly the file they read.
final class DelimitedInput {
  private enum Origin {
    case file(FileHandle)
    case memory([UInt8], position: Int)
  }

  private var origin: Origin
  private let encoding: DelimitedFormat.TextEncoding
  private let chunkSize: Int
  private var hasher = SHA256()
  private var inflater: Inflater?
  private var sniffed = false
  private var finished = false
  /// The name used in messages.
  let name: String

  /// Opens `url`.
  /// - Throws: `DatasetError(.missingFile)` when it does not exist or cannot be opened.
  init(url: URL, encoding: DelimitedFormat.TextEncoding, chunkSize: Int = 1 << 20) throws {
    name = url.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
      throw DatasetError(.missingFile, "\(url.path): the file does not exist", hint: "check the path (a recipe's paths are relative to its folder)")
    }
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw DatasetError(.missingFile, "\(url.path): the file cannot be opened", hint: "check its permissions")
    }
    origin = .file(handle)
    self.encoding = encoding
    self.chunkSize = chunkSize
  }

  /// Reads `bytes` as if they were a file called `name`.
  init(bytes: [UInt8], name: String, encoding: DelimitedFormat.TextEncoding, chunkSize: Int = 1 << 20) {
    self.name = name
    origin = .memory(bytes, position: 0)
    self.encoding = encoding
    self.chunkSize = chunkSize
  }

  deinit {
    if case .file(let handle) = origin { try? handle.close() }
  }

  /// SHA-256 (hex) of the bytes read from disk so far: of the whole file once `append` returned 0.
  var fingerprint: String { hasher.hexDigest() }

  /// Appends the next chunk of UTF-8 text to `buffer`; returns how many bytes it appended (0 at the end).
  func append(to buffer: inout [UInt8]) throws -> Int {
    while !finished {
      let raw = try readRaw()
      if raw.isEmpty {
        if let inflater, !inflater.atStreamBoundary {
          throw DatasetError(.malformedRow, "\(name): the gzip stream ends before its end marker",
                             hint: "the file is truncated; download or compress it again")
        }
        finished = true
        return 0
      }
      var text = raw
      if !sniffed {
        sniffed = true
        if raw.count >= 2, raw[0] == 0x1f, raw[1] == 0x8b { inflater = try Inflater(name: name) }
      }
      if let inflater { text = try inflater.inflate(raw) }
      if text.isEmpty { continue }
      let before = buffer.count
      switch encoding {
      case .utf8: buffer.append(contentsOf: text)
      case .latin1:
        for byte in text {
          if byte < 0x80 {
            buffer.append(byte)
          } else {
            buffer.append(0xC0 | (byte >> 6))
            buffer.append(0x80 | (byte & 0x3F))
          }
        }
      }
      return buffer.count - before
    }
    return 0
  }

  private func readRaw() throws -> [UInt8] {
    switch origin {
    case .file(let handle):
      let data: Data
      do { data = try handle.read(upToCount: chunkSize) ?? Data() } catch {
        throw DatasetError(.missingFile, "\(name): cannot read the file: \(error.localizedDescription)", hint: "check the file and its permissions")
      }
      hasher.update(data)
      return [UInt8](data)
    case .memory(let bytes, let position):
      let end = min(bytes.count, position + chunkSize)
      origin = .memory(bytes, position: end)
      let chunk = Array(bytes[position..<end])
      hasher.update(chunk)
      return chunk
    }
  }
}

/// zlib's streaming inflate over gzip members (several members in a row are one file, as gzip -d reads them).
private final class Inflater {
  private var stream = z_stream()
  private let name: String
  /// Whether the last input ended exactly at the end of a gzip member.
  private(set) var atStreamBoundary = false

  init(name: String) throws {
    self.name = name
    guard kiln_inflate_init_gzip(&stream) == Z_OK else {
      throw DatasetError(.malformedRow, "\(name): cannot start decompressing the gzip file", hint: "check that it is a gzip file")
    }
  }

  deinit { inflateEnd(&stream) }

  func inflate(_ input: [UInt8]) throws -> [UInt8] {
    var output: [UInt8] = []
    var out = [UInt8](repeating: 0, count: max(4 * input.count, 1 << 16))
    var input = input
    try input.withUnsafeMutableBufferPointer { inBuffer in
      stream.next_in = inBuffer.baseAddress
      stream.avail_in = uInt(inBuffer.count)
      while true {
        atStreamBoundary = false
        let status = out.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
          stream.next_out = outBuffer.baseAddress
          stream.avail_out = uInt(outBuffer.count)
          return CZlib.inflate(&stream, Z_NO_FLUSH)
        }
        let produced = out.count - Int(stream.avail_out)
        output.append(contentsOf: out[0..<produced])
        switch status {
        case Z_OK, Z_BUF_ERROR:
          // Done with this input once it is consumed and the output buffer was not filled.
          if stream.avail_in == 0 && stream.avail_out > 0 { return }
          if status == Z_BUF_ERROR && produced == 0 { return }
        case Z_STREAM_END:
          atStreamBoundary = true
          guard stream.avail_in > 0 else { return }
          inflateReset(&stream)
        default:
          let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
          throw DatasetError(.malformedRow, "\(name): the gzip data is corrupt (\(reason))",
                             hint: "the file is damaged; download or compress it again")
        }
      }
    }
    return output
  }
}
