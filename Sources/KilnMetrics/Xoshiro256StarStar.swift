/// The xoshiro256** generator used for bootstrap resampling, seeded from a caller's generator.
///
/// KilnMetrics knows no tensors, so it carries its own copy of the algorithm the project's seeded
/// generator uses (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018,
/// https://prng.di.unimi.it/). Callers pass any `RandomNumberGenerator`; four words drawn from it
/// seed this one, so the same caller seed gives the same resamples, while the hot loop stays
/// specialised and free of dynamic dispatch.
struct Xoshiro256StarStar: RandomNumberGenerator {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Seeds the state with four draws from `source` (an all-zero state is replaced by a fixed one).
  init<Source: RandomNumberGenerator>(seededFrom source: inout Source) {
    s0 = source.next()
    s1 = source.next()
    s2 = source.next()
    s3 = source.next()
    if s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
  }

  @inline(__always)
  private static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// The next 64 random bits.
  @inline(__always)
  mutating func next() -> UInt64 {
    let result = Self.rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = Self.rotateLeft(s3, 45)
    return result
  }

  /// A uniform integer in `0..<bound` by Lemire's nearly-divisionless method
  /// (Lemire, "Fast random integer generation in an interval", 2019, arXiv:1805.10941).
  @inline(__always)
  mutating func uniformIndex(below bound: UInt64) -> UInt64 {
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }
}
