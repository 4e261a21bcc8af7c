import KilnCrypto
import Foundation

/// Ed25519 keys in the files OpenSSL reads and writes: a private key as PKCS#8 PEM
/// (`-----BEGIN PRIVATE KEY-----`), a public key as SubjectPublicKeyInfo PEM
/// (`-----BEGIN PUBLIC KEY-----`), RFC 8410. A public key may also be written inline as the
/// base64 line between a PEM's markers (how `governance.yaml` lists approvers' keys).
///
/// Keys sign what the store cannot vouch for itself (audit checkpoints, approvals), so a private
/// key is never read from inside the store directory: whoever can write the store must not also
/// hold the key.
public enum SigningKeys {
  /// DER before the 32-byte seed in PKCS#8 (version 0, algorithm id-Ed25519 1.3.101.112).
  static let privatePrefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
  /// DER before the 32-byte key in SubjectPublicKeyInfo for id-Ed25519.
  static let publicPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

  /// The private key as PKCS#8 PEM.
  public static func pem(_ key: Ed25519.PrivateKey) -> String {
    pem(label: "PRIVATE KEY", der: privatePrefix + Array(key.rawRepresentation))
  }

  /// The public key as SubjectPublicKeyInfo PEM.
  public static func pem(_ key: Ed25519.PublicKey) -> String {
    pem(label: "PUBLIC KEY", der: publicPrefix + Array(key.rawRepresentation))
  }

  /// The public key as one base64 line (the body of its PEM), for `governance.yaml`.
  public static func publicKeyText(_ key: Ed25519.PublicKey) -> String {
    Data(publicPrefix + Array(key.rawRepresentation)).base64EncodedString()
  }

  /// "SHA256:" and the first 16 hex digits of the SHA-256 of the raw public key: a short name for messages and cards.
  public static func fingerprint(_ key: Ed25519.PublicKey) -> String {
    "SHA256:" + String(SHA256.hexDigest(key.rawRepresentation).prefix(16))
  }

  /// Writes a new key pair: the private key to `privateFile` (mode 0600, refused when it exists)
  /// and the public key to `publicFile` (mode 0644).
  /// - Throws: `TrackingError(.keyUnusable)` when a file exists or cannot be written.
  @discardableResult
  public static func generate(privateFile: URL, publicFile: URL) throws -> Ed25519.PublicKey {
    for file in [privateFile, publicFile] where FileManager.default.fileExists(atPath: file.path) {
      throw TrackingError(.keyUnusable, "\(file.path) exists; a key file is never overwritten", hint: "choose another --out path or remove the old key yourself")
    }
    let key = Ed25519.PrivateKey()
    try writeKeyFile(pem(key), to: privateFile, mode: 0o600)
    try writeKeyFile(pem(key.publicKey), to: publicFile, mode: 0o644)
    return key.publicKey
  }

  /// Reads an Ed25519 private key from a PKCS#8 PEM file outside `storeDirectory`.
  /// - Throws: `TrackingError(.keyUnusable)` naming the file: unreadable, inside the store, not an Ed25519 private key.
  public static func loadPrivateKey(file: URL, storeDirectory: URL?) throws -> Ed25519.PrivateKey {
    if let storeDirectory {
      let store = storeDirectory.standardizedFileURL.resolvingSymlinksInPath().path + "/"
      if file.standardizedFileURL.resolvingSymlinksInPath().path.hasPrefix(store) {
        throw TrackingError(.keyUnusable, "\(file.path) is inside the tracking store \(storeDirectory.path): a key there protects nothing",
                            hint: "keep signing keys outside .kiln/ (for example in ~/.config/kiln/), where the store's writers cannot read them")
      }
    }
    let der = try derFromPEM(file: file, label: "PRIVATE KEY")
    guard der.count == privatePrefix.count + 32, Array(der.prefix(privatePrefix.count)) == privatePrefix,
          let key = Ed25519.PrivateKey(rawRepresentation: der.suffix(32)) else {
      throw TrackingError(.keyUnusable, "\(file.path) is not an Ed25519 private key (PKCS#8)",
                          hint: "make one with `kiln keys generate --out FILE` or `openssl genpkey -algorithm ed25519`")
    }
    return key
  }

  /// Reads an Ed25519 public key from a SubjectPublicKeyInfo PEM file.
  public static func loadPublicKey(file: URL) throws -> Ed25519.PublicKey {
    let der = try derFromPEM(file: file, label: "PUBLIC KEY")
    guard let key = publicKey(der: der) else {
      throw TrackingError(.keyUnusable, "\(file.path) is not an Ed25519 public key",
                          hint: "use the .pub file `kiln keys generate` wrote, or `openssl pkey -pubout`")
    }
    return key
  }

  /// A public key written as base64: of its SubjectPublicKeyInfo DER (a PEM's body) or of the raw 32 bytes.
  public static func publicKey(text: String) -> Ed25519.PublicKey? {
    let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
    guard let data = Data(base64Encoded: body.trimmingCharacters(in: .whitespaces)) else { return nil }
    return publicKey(der: Array(data))
  }

  static func publicKey(der: [UInt8]) -> Ed25519.PublicKey? {
    if der.count == 32 { return Ed25519.PublicKey(rawRepresentation: der) }
    guard der.count == publicPrefix.count + 32, Array(der.prefix(publicPrefix.count)) == publicPrefix else { return nil }
    return Ed25519.PublicKey(rawRepresentation: der.suffix(32))
  }

  static func pem(label: String, der: [UInt8]) -> String {
    let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
    return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
  }

  static func derFromPEM(file: URL, label: String) throws -> [UInt8] {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
      throw TrackingError(.keyUnusable, "cannot read the key file \(file.path)", hint: "check the path and its permissions")
    }
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    guard let begin = lines.firstIndex(of: "-----BEGIN \(label)-----"),
          let end = lines[begin...].firstIndex(of: "-----END \(label)-----"),
          let der = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else {
      throw TrackingError(.keyUnusable, "\(file.path) holds no PEM block '\(label)'",
                          hint: "a \(label.lowercased()) file starts with -----BEGIN \(label)-----")
    }
    return Array(der)
  }

  static func writeKeyFile(_ text: String, to file: URL, mode: mode_t) throws {
    do {
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw TrackingError(.keyUnusable, "cannot create \(file.deletingLastPathComponent().path): \(error.localizedDescription)",
                          hint: "check that the directory is writable")
    }
    // Created exclusively with its final mode, so a private key is never readable by others, even briefly.
    let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL, mode)
    guard descriptor >= 0 else {
      throw TrackingError(.keyUnusable, "cannot create \(file.path): \(String(cString: strerror(errno)))", hint: "check that the directory is writable")
    }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    guard fchmod(descriptor, mode) == 0, bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
      let reason = String(cString: strerror(errno))
      unlink(file.path)
      throw TrackingError(.keyUnusable, "cannot write \(file.path): \(reason)", hint: "check the disk and the directory's permissions")
    }
  }
}
