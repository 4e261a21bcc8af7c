import Foundation

/// The normal distribution truncated to [low, high], as the numeric kernels of Parzen
/// estimators use it.
///
/// Density: p(x) = φ((x − μ)/σ) / (σ·Z) on [low, high], with Z = Φ((high − μ)/σ) − Φ((low − μ)/σ).
/// Sampling inverts the CDF: x = μ + σ·Φ⁻¹(Φ(α) + u·(Φ(β) − Φ(α))), computed on the side of the
/// mean where the tail probabilities keep their precision.
struct TruncatedNormal: Sendable {
  let mean: Double
  let standardDeviation: Double
  let low: Double
  let high: Double
  /// log(σ·Z), the density's log normaliser.
  let logNormalizer: Double

  init(mean: Double, standardDeviation: Double, low: Double, high: Double) {
    self.mean = mean
    self.standardDeviation = standardDeviation
    self.low = low
    self.high = high
    let mass = TruncatedNormal.probability(between: (low - mean) / standardDeviation,
                                           and: (high - mean) / standardDeviation)
    logNormalizer = log(standardDeviation) + log(max(mass, 1e-300))
  }

  /// log p(x) (−∞ outside the bounds is not needed: callers evaluate inside them).
  func logDensity(_ x: Double) -> Double {
    let z = (x - mean) / standardDeviation
    return -0.5 * z * z - 0.918_938_533_204_672_7 - logNormalizer
  }

  /// A draw from one uniform `unit` ∈ [0, 1).
  func sample(unit: Double) -> Double {
    let alpha = (low - mean) / standardDeviation
    let beta = (high - mean) / standardDeviation
    let z: Double
    if alpha > 0 {
      // Both bounds above the mean: work with upper tails, which keep their precision.
      let upperLow = TruncatedNormal.upperTail(alpha), upperHigh = TruncatedNormal.upperTail(beta)
      z = -TruncatedNormal.inverseCDF(upperLow - unit * (upperLow - upperHigh))
    } else {
      let lowerLow = TruncatedNormal.cdf(alpha), lowerHigh = TruncatedNormal.cdf(beta)
      z = TruncatedNormal.inverseCDF(lowerLow + unit * (lowerHigh - lowerLow))
    }
    return min(max(mean + standardDeviation * z, low), high)
  }

  /// Φ(z), the standard normal CDF.
  static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

  /// 1 − Φ(z), without cancellation for large z.
  static func upperTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

  /// Φ(b) − Φ(a) for a ≤ b, taken in the tail where it is precise.
  static func probability(between a: Double, and b: Double) -> Double {
    a > 0 ? upperTail(a) - upperTail(b) : cdf(b) - cdf(a)
  }

  /// Φ⁻¹(p): Acklam's rational approximation (relative error 1.15·10⁻⁹) refined by one Halley
  /// step on erfc, which brings it to about machine precision.
  static func inverseCDF(_ probability: Double) -> Double {
    let p = min(max(probability, 1e-300), 1 - 1e-16)
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let lowBreak = 0.02425
    var x: Double
    if p < lowBreak {
      let q = (-2 * log(p)).squareRoot()
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - lowBreak {
      let q = p - 0.5, r = q * q
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * log(1 - p)).squareRoot()
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let error = cdf(x) - p
    let u = error * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
  }
}
