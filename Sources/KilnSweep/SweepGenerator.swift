import Foundation

/// The seeded pseudo-random generator of sweeps: xoshiro256** (Blackman & Vigna, "Scrambled
/// linear pseudorandom number generators", 2018, https://prng.di.unimi.it/), seeded through
/// SplitMix64 from `seed` and `stream`.
///
/// It is the same algorithm, seeding and derived draws as the tensor module's generator, defined
/// again here because sweeps know no tensors: a seed gives the same numbers in both.
/// - `nextDouble()`: the top 53 bits scaled by 2⁻⁵³, uniform on [0, 1).
/// - `uniformIndex(below:)`: Lemire's nearly-divisionless bounded integer method.
public struct SweepGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
  /// The four 64-bit words of xoshiro256** state.
  public private(set) var state: [UInt64]

  /// Creates a generator for `seed`, on the independent sequence `stream` (default 0).
  public init(seed: UInt64, stream: UInt64 = 0) {
    var mixer = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
    var words: [UInt64] = []
    for _ in 0..<4 { words.append(SweepGenerator.splitMix64(&mixer)) }
    if words.allSatisfy({ $0 == 0 }) { words[0] = 1 }
    state = words
  }

  /// The generator a sampler uses for one purpose (`label`, usually a parameter name) in one
  /// trial: its stream is the trial number and its seed mixes the study seed with a stable
  /// hash of the label, so a trial's draws depend only on (seed, trial number, label).
  public init(seed: UInt64, trialNumber: Int, label: String) {
    self.init(seed: seed ^ SweepGenerator.stableHash(label), stream: UInt64(trialNumber))
  }

  /// FNV-1a over the UTF-8 bytes: a hash that is the same in every process (unlike `Hasher`).
  public static func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
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
    let result = SweepGenerator.rotateLeft(state[1] &* 5, 7) &* 9
    let t = state[1] << 17
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = SweepGenerator.rotateLeft(state[3], 45)
    return result
  }

  /// A uniform Double in [0, 1) from the top 53 bits.
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
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
