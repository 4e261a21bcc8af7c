extension SeededGenerator {
  /// FNV-1a (Fowler–Noll–Vo, 64-bit) over the UTF-8 bytes: h₀ = 0xCBF29CE484222325,
  /// hᵢ₊₁ = (hᵢ ⊕ byte) · 0x100000001B3 mod 2⁶⁴. The same in every process (unlike `Hasher`), so
  /// it can turn a label into part of a seed.
  public static func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
  }
}
