import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface, streamed: the one hash of dataset
/// fingerprints, file digests, configuration hashes and the audit chain.
///
/// A value type: a copy hashes on independently, and `finalize()` leaves the hasher usable.
public struct SHA256 {
  /// One EVP digest context; copied before a write when shared (copy on write).
  private final class Context {
    let pointer: OpaquePointer

    init() {
      guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
        fatalError("SHA256: OpenSSL could not set up a SHA-256 context (out of memory)")
      }
      pointer = context
    }

    init(copying other: Context) {
      guard let context = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(context, other.pointer) == 1 else {
        fatalError("SHA256: OpenSSL could not copy a SHA-256 context (out of memory)")
      }
      pointer = context
    }

    deinit { EVP_MD_CTX_free(pointer) }
  }

  private var context = Context()

  public init() {}

  /// Adds bytes to the message.
  public mutating func update(bytes: UnsafeRawBufferPointer) {
    guard bytes.count > 0 else { return }
    if !isKnownUniquelyReferenced(&context) { context = Context(copying: context) }
    EVP_DigestUpdate(context.pointer, bytes.baseAddress, bytes.count)
  }

  /// Adds the bytes of a collection (`Data`, `[UInt8]`, a string's UTF-8 view) to the message.
  public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    let handled: Void? = bytes.withContiguousStorageIfAvailable { update(bytes: UnsafeRawBufferPointer($0)) }
    if handled == nil { Array(bytes).withUnsafeBytes { update(bytes: $0) } }
  }

  /// The digest of the bytes added so far (the hasher can go on).
  public func finalize() -> [UInt8] {
    let copy = Context(copying: context)
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    guard EVP_DigestFinal_ex(copy.pointer, &digest, &length) == 1, length == 32 else {
      fatalError("SHA256: OpenSSL could not finish a digest")
    }
    return digest
  }

  /// The digest as 64 lowercase hexadecimal digits.
  public func hexDigest() -> String { Self.hex(finalize()) }

  /// The digest of `bytes`.
  public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.finalize()
  }

  /// The digest of `bytes` as 64 lowercase hexadecimal digits.
  public static func hexDigest<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    hex(hash(bytes))
  }

  /// Lowercase hexadecimal digits of bytes.
  public static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8]()
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
