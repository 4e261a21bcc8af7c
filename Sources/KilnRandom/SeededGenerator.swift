import Foundation

/// A seeded pseudo-random generator whose output is the same on every platform and Swift version.
///
/// Algorithm: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// 2018, https://prng.di.unimi.it/). Its 256-bit state is filled from SplitMix64 applied to
/// `seed` and `stream`: the stream selects an independent sequence for the same seed, and each
/// purpose that draws from a run's seed has its own (`RandomStream`, the one registry). `init(seededFrom:)` instead fills the state
/// with four draws from a caller's generator (bootstrap resampling seeds itself this way).
///
/// Derived draws are defined here, not by the standard library, so they are stable too:
/// - `nextFloat()`: the top 24 bits of `next()` scaled by 2⁻²⁴, uniform on [0, 1).
/// - `nextDouble()`: the top 53 bits scaled by 2⁻⁵³, uniform on [0, 1).
/// - `nextNormal()`: Box–Muller on two `nextDouble()` draws, returning one value per pair
///   and caching the second.
/// - `uniformIndex(below:)`: Lemire's nearly-divisionless bounded integer method.
///
/// The state lives in four stored words (no heap), and the draws are inlinable, so hot loops in
/// other modules (bootstrap resampling, dropout masks) are specialised without dynamic dispatch.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
  @usableFromInline var word0: UInt64
  @usableFromInline var word1: UInt64
  @usableFromInline var word2: UInt64
  @usableFromInline var word3: UInt64
  /// The second value of the last Box–Muller pair, if it has not been used yet.
  public private(set) var cachedNormal: Double?

  /// The four 64-bit words of xoshiro256** state; exposed so checkpoints can store and restore it.
  public var state: [UInt64] { [word0, word1, word2, word3] }

  /// Creates a generator for `seed`, on the independent sequence `stream` (default 0). Library
  /// code passes a `RandomStream` instead of a number, so no two purposes share a sequence.
  public init(seed: UInt64, stream: UInt64 = 0) {
    var mixer = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
    word0 = SeededGenerator.splitMix64(&mixer)
    word1 = SeededGenerator.splitMix64(&mixer)
    word2 = SeededGenerator.splitMix64(&mixer)
    word3 = SeededGenerator.splitMix64(&mixer)
    if word0 == 0 && word1 == 0 && word2 == 0 && word3 == 0 { word0 = 1 }
    cachedNormal = nil
  }

  /// Restores a generator from a saved state (as written into checkpoints).
  public init(state: [UInt64], cachedNormal: Double? = nil) {
    precondition(state.count == 4, "SeededGenerator: state has \(state.count) words, expected 4")
    precondition(!state.allSatisfy { $0 == 0 }, "SeededGenerator: an all-zero state never leaves zero")
    word0 = state[0]
    word1 = state[1]
    word2 = state[2]
    word3 = state[3]
    self.cachedNormal = cachedNormal
  }

  /// Seeds the state with four draws from `source`, in order; an all-zero draw is replaced by the
  /// state (0x9E37_79B9_7F4A_7C15, 0, 0, 0). The same source state gives the same sequence.
  @inlinable
  public init<Source: RandomNumberGenerator>(seededFrom source: inout Source) {
    let first = source.next()
    let second = source.next()
    let third = source.next()
    let fourth = source.next()
    self.init(drawnWords: first, second, third, fourth)
  }

  /// The state from four drawn words, with the all-zero state replaced (see `init(seededFrom:)`).
  @usableFromInline
  init(drawnWords first: UInt64, _ second: UInt64, _ third: UInt64, _ fourth: UInt64) {
    let allZero = first == 0 && second == 0 && third == 0 && fourth == 0
    word0 = allZero ? 0x9E37_79B9_7F4A_7C15 : first
    word1 = second
    word2 = third
    word3 = fourth
    cachedNormal = nil
  }

  /// SplitMix64 (Steele, Lea & Flood 2014): one step, used to expand a seed into state words.
  @usableFromInline static func splitMix64(_ x: inout UInt64) -> UInt64 {
    x &+= 0x9E37_79B9_7F4A_7C15
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inlinable @inline(__always)
  static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// The next 64 random bits (xoshiro256**).
  @inlinable @inline(__always)
  public mutating func next() -> UInt64 {
    let result = SeededGenerator.rotateLeft(word1 &* 5, 7) &* 9
    let t = word1 << 17
    word2 ^= word0
    word3 ^= word1
    word1 ^= word2
    word0 ^= word3
    word2 ^= t
    word3 = SeededGenerator.rotateLeft(word3, 45)
    return result
  }

  /// A uniform Float in [0, 1) from the top 24 bits.
  @inlinable
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform Double in [0, 1) from the top 53 bits.
  @inlinable
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// A standard normal draw (Box–Muller; the pair's second value is cached for the next call).
  public mutating func nextNormal() -> Double {
    if let cached = cachedNormal {
      cachedNormal = nil
      return cached
    }
    // 1 − u keeps the logarithm's argument in (0, 1].
    let u1 = 1.0 - nextDouble()
    let u2 = nextDouble()
    let radius = (-2.0 * log(u1)).squareRoot()
    let angle = 2.0 * Double.pi * u2
    cachedNormal = radius * sin(angle)
    return radius * cos(angle)
  }

  /// A uniform integer in `0..<bound` (Lemire 2019, arXiv:1805.10941).
  @inlinable
  public mutating func uniformIndex(below bound: Int) -> Int {
    precondition(bound > 0, "uniformIndex: bound \(bound) must be positive")
    return Int(uniformIndex(below: UInt64(bound)))
  }

  /// A uniform integer in `0..<bound` (Lemire, "Fast random integer generation in an interval",
  /// 2019, arXiv:1805.10941): the high word of `next() · bound`, redrawn while the low word falls
  /// below `2⁶⁴ mod bound`. The same draws as `uniformIndex(below: Int)`, without conversions.
  @inlinable @inline(__always)
  public mutating func uniformIndex(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "uniformIndex: bound \(bound) must be positive")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }

  /// Shuffles `values` in place (Fisher–Yates, drawing with `uniformIndex(below:)`).
  @inlinable
  public mutating func shuffle<T>(_ values: inout [T]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      let j = uniformIndex(below: i + 1)
      if i != j { values.swapAt(i, j) }
    }
  }
}
