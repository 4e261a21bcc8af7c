/// Random bits as a pure function of a key and counters, with no state to carry, split or save:
/// the draw for (a, b, c, n) is the n-th output of SplitMix64 (Steele, Lea & Flood, "Fast
/// splittable pseudorandom number generators", OOPSLA 2014) started from the sub-key
/// `mix(mix(mix(key + a·γ) + b·γ) + c·γ)`, where `mix` is SplitMix64's output function (a bijection
/// of 64-bit words) and γ = 0x9E3779B97F4A7C15.
///
/// Dropout draws its masks this way, keyed by (seed, epoch, global row, layer), so a row's mask
/// does not depend on which process handles it or on what was drawn before.
public struct CounterGenerator: Sendable, Equatable {
  public let key: UInt64

  /// The generator of `stream`'s purpose under `seed` (see `RandomStream`).
  public init(seed: UInt64, stream: RandomStream) {
    var mixer = seed ^ (stream.number &* 0xD1B5_4A32_D192_ED03)
    key = SeededGenerator.splitMix64(&mixer)
  }

  public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

  /// SplitMix64's output function (variant 13 of Stafford's 64-bit finaliser).
  @inlinable @inline(__always)
  public static func mix(_ word: UInt64) -> UInt64 {
    var z = word
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The sub-key of the counters (a, b, c): the start of their own SplitMix64 sequence.
  @inlinable
  public func subkey(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
    let first = Self.mix(key &+ a &* Self.gamma)
    let second = Self.mix(first &+ b &* Self.gamma)
    return Self.mix(second &+ c &* Self.gamma)
  }

  /// The `index`-th 64-bit draw (from 0) of the sequence that starts at `subkey`.
  @inlinable @inline(__always)
  public static func bits(subkey: UInt64, index: UInt64) -> UInt64 {
    mix(subkey &+ (index &+ 1) &* gamma)
  }
}
