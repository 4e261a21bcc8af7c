import COpenSSL

/// Ed25519 signatures (RFC 8032) through OpenSSL's EVP interface: signed audit checkpoints and
/// approvals. Keys travel as their 32 raw bytes; PEM and DER framing is the caller's
/// (`SigningKeys` in KilnTracking).
public enum Ed25519 {
  /// A private key. Generated from the operating system's random source, or read from 32 raw bytes.
  public struct PrivateKey {
    fileprivate let key: Key

    /// A new random key.
    public init() {
      guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
        fatalError("Ed25519: OpenSSL could not set up key generation")
      }
      defer { EVP_PKEY_CTX_free(context) }
      var pointer: OpaquePointer?
      guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &pointer) == 1, let pointer else {
        fatalError("Ed25519: OpenSSL could not generate a key (no random source?)")
      }
      key = Key(pointer)
    }

    /// The key whose 32 raw bytes these are; nil for any other length.
    public init?<Bytes: Collection>(rawRepresentation bytes: Bytes) where Bytes.Element == UInt8 {
      let raw = Array(bytes)
      guard raw.count == 32, let pointer = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, raw, 32) else { return nil }
      key = Key(pointer)
    }

    /// The 32 raw bytes of the key.
    public var rawRepresentation: [UInt8] { key.raw(EVP_PKEY_get_raw_private_key) }

    /// The matching public key.
    public var publicKey: PublicKey {
      guard let key = PublicKey(rawRepresentation: self.key.raw(EVP_PKEY_get_raw_public_key)) else {
        fatalError("Ed25519: OpenSSL returned a public key of the wrong length")
      }
      return key
    }

    /// The 64-byte signature of `message` (deterministic, as RFC 8032 defines it).
    public func signature<Bytes: Sequence>(for message: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
      let bytes = Array(message)
      guard let context = EVP_MD_CTX_new() else { fatalError("Ed25519: OpenSSL could not set up signing (out of memory)") }
      defer { EVP_MD_CTX_free(context) }
      var signature = [UInt8](repeating: 0, count: 64)
      var length = 64
      guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1,
            EVP_DigestSign(context, &signature, &length, bytes, bytes.count) == 1, length == 64 else {
        fatalError("Ed25519: OpenSSL could not sign")
      }
      return signature
    }
  }

  /// A public key, from its 32 raw bytes.
  public struct PublicKey {
    fileprivate let key: Key

    /// The key whose 32 raw bytes these are; nil for any other length or a point not on the curve.
    public init?<Bytes: Collection>(rawRepresentation bytes: Bytes) where Bytes.Element == UInt8 {
      let raw = Array(bytes)
      guard raw.count == 32, let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, 32) else { return nil }
      key = Key(pointer)
    }

    /// The 32 raw bytes of the key.
    public var rawRepresentation: [UInt8] { key.raw(EVP_PKEY_get_raw_public_key) }

    /// Whether `signature` is this key's signature of `message`.
    public func isValidSignature<Signature: Sequence, Bytes: Sequence>(_ signature: Signature, for message: Bytes) -> Bool
    where Signature.Element == UInt8, Bytes.Element == UInt8 {
      let signatureBytes = Array(signature), bytes = Array(message)
      guard signatureBytes.count == 64, let context = EVP_MD_CTX_new() else { return false }
      defer { EVP_MD_CTX_free(context) }
      guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1 else { return false }
      let valid = EVP_DigestVerify(context, signatureBytes, 64, bytes, bytes.count) == 1
      ERR_clear_error()
      return valid
    }
  }

  /// An OpenSSL key object, freed with its last owner.
  fileprivate final class Key {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    /// The 32 raw bytes `read` (the private or public getter) returns.
    func raw(_ read: (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> Int32) -> [UInt8] {
      var bytes = [UInt8](repeating: 0, count: 32)
      var length = 32
      guard read(pointer, &bytes, &length) == 1, length == 32 else { fatalError("Ed25519: OpenSSL could not export a key") }
      return bytes
    }
  }
}
