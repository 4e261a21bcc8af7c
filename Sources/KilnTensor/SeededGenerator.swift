import Foundation

/// A seeded pseudo-random generator whose output is the same on every platform and Swift version.
///
/// Algorithm: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// 2018, https://prng.di.unimi.it/). Its 256-bit state is filled from SplitMix64 applied to
/// `seed` and `stream`: the stream selects an independent sequence for the same seed, so MPI
/// rank `r` uses `SeededGenerator(seed: s, stream: r)`.
///
/// Derived draws are defined here, not by the standard library, so they are stable too:
/// - `nextFloat()`: the top 24 bits of `next()` scaled by 2⁻²⁴, uniform on [0, 1).
/// - `nextDouble()`: the top 53 bits scaled by 2⁻⁵³, uniform on [0, 1).
/// - `nextNormal()`: Box–Muller on two `nextDouble()` draws, returning one value per pair
///   and caching the second.
/// - `uniformIndex(below:)`: Lemire's nearly-divisionless bounded integer method.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
  /// The four 64-bit words of xoshiro256** state; exposed so checkpoints can store and restore it.
  public private(set) var state: [UInt64]
  /// The second value of the last Box–Muller pair, if it has not been used yet.
  public private(set) var cachedNormal: Double?

  /// Creates a generator for `seed`, on the independent sequence `stream` (default 0).
  public init(seed: UInt64, stream: UInt64 = 0) {
    var mixer = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
    var words: [UInt64] = []
    for _ in 0..<4 { words.append(SeededGenerator.splitMix64(&mixer)) }
    if words.allSatisfy({ $0 == 0 }) { words[0] = 1 }
    state = words
    cachedNormal = nil
  }

  /// Restores a generator from a saved state (as written into checkpoints).
  public init(state: [UInt64], cachedNormal: Double? = nil) {
    precondition(state.count == 4, "SeededGenerator: state has \(state.count) words, expected 4")
    precondition(!state.allSatisfy { $0 == 0 }, "SeededGenerator: an all-zero state never leaves zero")
    self.state = state
    self.cachedNormal = cachedNormal
  }

  /// SplitMix64 (Steele, Lea & Flood 2014): one step, used to expand a seed into state words.
  static func splitMix64(_ x: inout UInt64) -> UInt64 {
    x &+= 0x9E37_79B9_7F4A_7C15
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inline(__always)
  private static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = SeededGenerator.rotateLeft(state[1] &* 5, 7) &* 9
    let t = state[1] << 17
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = SeededGenerator.rotateLeft(state[3], 45)
    return result
  }

  /// A uniform Float in [0, 1) from the top 24 bits.
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform Double in [0, 1) from the top 53 bits.
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
  public mutating func uniformIndex(below bound: Int) -> Int {
    precondition(bound > 0, "uniformIndex: bound \(bound) must be positive")
    let range = UInt64(bound)
    var product = next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold {
        product = next().multipliedFullWidth(by: range)
      }
    }
    return Int(product.high)
  }

  /// Shuffles `values` in place (Fisher–Yates, drawing with `uniformIndex(below:)`).
  public mutating func shuffle<T>(_ values: inout [T]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      let j = uniformIndex(below: i + 1)
      if i != j { values.swapAt(i, j) }
    }
  }
}
