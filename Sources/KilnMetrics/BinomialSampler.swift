import KilnRandom
import Foundation

/// Exact binomial draws, so a bootstrap resample of a stratum costs O(1) instead of O(rows).
///
/// - Mean below 10: inversion by sequential search from 0 (Devroye 1986, "Non-Uniform Random
///   Variate Generation", §X.4).
/// - Otherwise: BTRD, transformed rejection with decomposition (Hörmann 1993, "The generation
///   of binomial random variates", J. Statist. Comput. Simul. 46:101–110), on p ≤ ½ with the
///   symmetric draw n − k for p > ½.
struct BinomialSampler {
  let trials: Int
  let probability: Double
  private let flipped: Bool
  private let p: Double
  private let useInversion: Bool
  // Inversion.
  private let ratio: Double, inversionScale: Double, probabilityOfZero: Double
  // BTRD setup.
  private let mode: Double, r: Double, nr: Double, npq: Double
  private let b: Double, a: Double, c: Double, alpha: Double, vr: Double, urvr: Double

  init(trials: Int, probability: Double) {
    precondition(trials >= 0 && probability >= 0 && probability <= 1,
                 "BinomialSampler: trials \(trials) and probability \(probability) must be ≥ 0 and in [0, 1]")
    self.trials = trials
    self.probability = probability
    flipped = probability > 0.5
    p = flipped ? 1 - probability : probability
    let n = Double(trials), q = 1 - p
    useInversion = n * p < 10
    ratio = p / q
    inversionScale = (n + 1) * ratio
    probabilityOfZero = pow(q, n)
    mode = ((n + 1) * p).rounded(.down)
    r = p / q
    nr = (n + 1) * r
    npq = n * p * q
    let spread = npq.squareRoot()
    b = 1.15 + 2.53 * spread
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    alpha = (2.83 + 5.1 / b) * spread
    vr = 0.92 - 4.2 / b
    urvr = 0.86 * vr
  }

  /// One draw.
  func draw(using generator: inout SeededGenerator) -> Int {
    if p == 0 { return flipped ? trials : 0 }
    let successes = useInversion ? inversion(&generator) : btrd(&generator)
    return flipped ? trials - successes : successes
  }

  @inline(__always)
  private static func uniform(_ generator: inout SeededGenerator) -> Double {
    Double(generator.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  private func inversion(_ generator: inout SeededGenerator) -> Int {
    while true {
      var u = Self.uniform(&generator), mass = probabilityOfZero, k = 0
      while u > mass {
        u -= mass
        k += 1
        if k > trials { break }
        mass *= inversionScale / Double(k) - ratio
      }
      if k <= trials { return k }
    }
  }

  private func btrd(_ generator: inout SeededGenerator) -> Int {
    let n = Double(trials)
    while true {
      var v = Self.uniform(&generator)
      var u: Double
      if v <= urvr {
        u = v / vr - 0.43
        return Int(((2 * a / (0.5 - abs(u)) + b) * u + c).rounded(.down))
      }
      if v >= vr {
        u = Self.uniform(&generator) - 0.5
      } else {
        u = v / vr - 0.93
        u = (u < 0 ? -0.5 : 0.5) - u
        v = Self.uniform(&generator) * vr
      }
      let us = 0.5 - abs(u)
      let kDouble = ((2 * a / us + b) * u + c).rounded(.down)
      if kDouble < 0 || kDouble > n { continue }
      let k = Int(kDouble)
      v = v * alpha / (a / (us * us) + b)
      let km = abs(kDouble - mode)
      if km <= 15 {
        // Recursive evaluation of f(k) / f(m).
        var f = 1.0
        let m = Int(mode)
        if m < k {
          for i in (m + 1)...k { f *= nr / Double(i) - r }
        } else if m > k {
          for i in (k + 1)...m { v *= nr / Double(i) - r }
        }
        if v <= f { return k }
        continue
      }
      // Squeeze on log scale, then the exact test with Stirling corrections.
      v = log(v)
      let rho = (km / npq) * (((km / 3 + 0.625) * km + 1.0 / 6) / npq + 0.5)
      let t = -km * km / (2 * npq)
      if v < t - rho { return k }
      if v > t + rho { continue }
      let nm = n - mode + 1
      let h = (mode + 0.5) * log((mode + 1) / (r * nm)) + Self.stirlingCorrection(mode) + Self.stirlingCorrection(n - mode)
      let nk = n - kDouble + 1
      if v <= h + (n + 1) * log(nm / nk) + (kDouble + 0.5) * log(nk * r / (kDouble + 1))
        - Self.stirlingCorrection(kDouble) - Self.stirlingCorrection(n - kDouble) {
        return k
      }
    }
  }

  /// log(k!) − [(k + ½)·log(k + 1) − (k + 1) + ½·log(2π)], tabulated below 10.
  static func stirlingCorrection(_ k: Double) -> Double {
    let table = [0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509,
                 0.01664469118982119, 0.01387612882307075, 0.01189670994589177, 0.01041126526197209,
                 0.009255462182712733, 0.008330563433362871]
    if k < 10 { return table[Int(k)] }
    let next = k + 1, square = next * next
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / square) / square) / next
  }
}
