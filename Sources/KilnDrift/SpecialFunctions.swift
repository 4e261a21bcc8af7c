import Foundation

/// Distribution tails used by the two-sample tests, written out so the module needs only Foundation.
enum SpecialFunctions {
  /// The upper tail of the Kolmogorov distribution, Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}
  /// (Numerical Recipes §14.3). The series converges fast for λ ≥ 0.2; below, Q is 1 to 1e-9.
  static func kolmogorovTail(_ lambda: Double) -> Double {
    guard lambda >= 0.2 else { return 1 }
    var sum = 0.0
    var sign = 1.0
    for k in 1...100 {
      let term = exp(-2 * Double(k * k) * lambda * lambda)
      sum += sign * term
      if term < 1e-16 * max(sum, 1e-300) { break }
      sign = -sign
    }
    return min(max(2 * sum, 0), 1)
  }

  /// The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a): the series of P for
  /// x < a + 1, Lentz's continued fraction for Q otherwise (Numerical Recipes §6.2).
  static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
    precondition(a > 0, "regularizedUpperGamma: the shape a must be positive, found \(a)")
    guard x > 0 else { return 1 }
    let logPrefactor = -x + a * log(x) - lgamma(a)
    if x < a + 1 {
      var term = 1 / a
      var sum = term
      var denominator = a
      for _ in 0..<10_000 {
        denominator += 1
        term *= x / denominator
        sum += term
        if abs(term) < abs(sum) * 1e-15 { break }
      }
      return min(max(1 - sum * exp(logPrefactor), 0), 1)
    }
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for index in 1..<10_000 {
      let an = -Double(index) * (Double(index) - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-15 { break }
    }
    return min(max(exp(logPrefactor) * h, 0), 1)
  }

  /// The upper tail of the χ² distribution with `degreesOfFreedom`: P(X ≥ statistic) = Q(k/2, x/2).
  static func chiSquaredTail(_ statistic: Double, degreesOfFreedom: Int) -> Double {
    guard degreesOfFreedom > 0 else { return 1 }
    return regularizedUpperGamma(Double(degreesOfFreedom) / 2, statistic / 2)
  }
}
