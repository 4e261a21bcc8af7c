import KilnCrypto
import Testing

/// Known answers from FIPS 180-4's examples and RFC 8032 §7.1, so a wrong binding fails here and
/// not as a fingerprint or signature mismatch far away.
@Suite struct SHA256Tests {
  @Test func knownDigests() {
    #expect(SHA256.hexDigest("".utf8) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hexDigest("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func streamingEqualsOneShotAndCopiesAreIndependent() {
    let message = Array((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    var hasher = SHA256()
    hasher.update(message[..<3])
    let copy = hasher
    hasher.update(message[3...])
    #expect(hasher.finalize() == SHA256.hash(message))
    #expect(hasher.finalize() == hasher.finalize(), "finalize leaves the hasher usable")
    var other = copy
    other.update(Array("x".utf8))
    #expect(copy.finalize() == SHA256.hash(message[..<3]), "updating a copy leaves the original alone")
    #expect(other.finalize() == SHA256.hash(Array(message[..<3]) + Array("x".utf8)))
  }
}

@Suite struct Ed25519Tests {
  func bytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      result.append(UInt8(hex[index..<next], radix: 16)!)
      index = next
    }
    return result
  }

  @Test(arguments: [
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
  ])
  func rfc8032Vectors(secret: String, publicKey: String, message: String, signature: String) throws {
    let key = try #require(Ed25519.PrivateKey(rawRepresentation: bytes(secret)))
    #expect(key.rawRepresentation == bytes(secret))
    #expect(key.publicKey.rawRepresentation == bytes(publicKey))
    #expect(key.signature(for: bytes(message)) == bytes(signature))
    let verifier = try #require(Ed25519.PublicKey(rawRepresentation: bytes(publicKey)))
    #expect(verifier.isValidSignature(bytes(signature), for: bytes(message)))
  }

  @Test func forgedSignaturesAndWrongKeysFail() throws {
    let key = Ed25519.PrivateKey(), other = Ed25519.PrivateKey()
    #expect(key.rawRepresentation != other.rawRepresentation, "keys come from a random source")
    let message = Array("kiln approval v1".utf8)
    var signature = key.signature(for: message)
    #expect(key.publicKey.isValidSignature(signature, for: message))
    #expect(!other.publicKey.isValidSignature(signature, for: message))
    #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
    signature[10] ^= 1
    #expect(!key.publicKey.isValidSignature(signature, for: message))
    #expect(!key.publicKey.isValidSignature(signature.prefix(63), for: message))
    #expect(Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) == nil)
    #expect(Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 33)) == nil)
  }
}
