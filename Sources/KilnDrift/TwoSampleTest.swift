import Foundation

/// The outcome of a two-sample test: the statistic, its p-value and an effect size that does not
/// grow with the sample size (so a tiny but "significant" shift in a large batch can be told apart).
public struct TwoSampleTestResult: Codable, Sendable, Equatable {
  public enum Test: String, Codable, Sendable {
    case kolmogorovSmirnov = "kolmogorov_smirnov"
    case chiSquared = "chi_squared"
  }

  public var test: Test
  public var statistic: Double
  public var pValue: Double
  /// KS: the statistic D itself; χ²: Cramér's V = √(χ² / (N·(min(r, c) − 1))).
  public var effectSize: Double
  /// χ² only: the degrees of freedom.
  public var degreesOfFreedom: Int?

  enum CodingKeys: String, CodingKey {
    case test, statistic, effectSize = "effect_size", degreesOfFreedom = "degrees_of_freedom"
    case pValue = "p_value"
  }
}

/// Two-sample tests of "same distribution": Kolmogorov–Smirnov for numbers, χ² homogeneity for categories.
public enum TwoSampleTest {
  /// The two-sample Kolmogorov–Smirnov test on sorted samples.
  ///
  /// D = sup_x |F_ref(x) − F_cur(x)|, evaluated after each distinct value so ties step together.
  /// p ≈ Q_KS((√nₑ + 0.12 + 0.11/√nₑ)·D) with nₑ = n·m/(n + m) (Stephens 1970; Numerical Recipes
  /// §14.3), the asymptotic p-value, as scipy's `ks_2samp(method="asymp")`.
  /// - Precondition: both samples are sorted ascending and non-empty.
  public static func kolmogorovSmirnov(sortedReference reference: [Double], sortedCurrent current: [Double]) -> TwoSampleTestResult {
    precondition(!reference.isEmpty && !current.isEmpty,
                 "kolmogorovSmirnov: both samples must be non-empty, found \(reference.count) and \(current.count) values")
    let n = Double(reference.count), m = Double(current.count)
    var i = 0, j = 0
    var distance = 0.0
    reference.withUnsafeBufferPointer { r in
      current.withUnsafeBufferPointer { c in
        while i < r.count && j < c.count {
          let value = min(r[i], c[j])
          while i < r.count && r[i] <= value { i += 1 }
          while j < c.count && c[j] <= value { j += 1 }
          distance = max(distance, abs(Double(i) / n - Double(j) / m))
        }
      }
    }
    let effective = n * m / (n + m)
    let root = effective.squareRoot()
    let pValue = SpecialFunctions.kolmogorovTail((root + 0.12 + 0.11 / root) * distance)
    return TwoSampleTestResult(test: .kolmogorovSmirnov, statistic: distance, pValue: pValue, effectSize: distance)
  }

  /// Pearson's χ² test of homogeneity on a 2 × K table of category counts.
  ///
  /// χ² = Σᵢⱼ (Oᵢⱼ − Eᵢⱼ)² / Eᵢⱼ with Eᵢⱼ = rowᵢ·colⱼ / N, over the categories seen in either sample;
  /// df = K′ − 1; the effect size is Cramér's V = √(χ² / N) (two rows). Categories whose expected
  /// count is below 5 on either side are pooled into one column first (Cochran's rule), so the χ²
  /// approximation holds in small groups.
  public static func chiSquared(referenceCounts: [Int], currentCounts: [Int]) -> TwoSampleTestResult {
    precondition(referenceCounts.count == currentCounts.count,
                 "chiSquared: \(referenceCounts.count) reference categories but \(currentCounts.count) current")
    let referenceTotal = Double(referenceCounts.reduce(0, +)), currentTotal = Double(currentCounts.reduce(0, +))
    let total = referenceTotal + currentTotal
    guard referenceTotal > 0, currentTotal > 0 else {
      return TwoSampleTestResult(test: .chiSquared, statistic: 0, pValue: 1, effectSize: 0, degreesOfFreedom: 0)
    }
    var columns: [(Int, Int)] = []
    var pooled = (0, 0)
    for (r, c) in zip(referenceCounts, currentCounts) where r + c > 0 {
      let smallerExpected = min(referenceTotal, currentTotal) * Double(r + c) / total
      if smallerExpected < 5 { pooled = (pooled.0 + r, pooled.1 + c) } else { columns.append((r, c)) }
    }
    if pooled.0 + pooled.1 > 0 { columns.append(pooled) }
    var statistic = 0.0
    for (r, c) in columns {
      let column = Double(r + c)
      let expectedReference = referenceTotal * column / total, expectedCurrent = currentTotal * column / total
      statistic += (Double(r) - expectedReference) * (Double(r) - expectedReference) / expectedReference
      statistic += (Double(c) - expectedCurrent) * (Double(c) - expectedCurrent) / expectedCurrent
    }
    let degrees = max(columns.count - 1, 0)
    guard degrees > 0 else {
      return TwoSampleTestResult(test: .chiSquared, statistic: 0, pValue: 1, effectSize: 0, degreesOfFreedom: 0)
    }
    return TwoSampleTestResult(test: .chiSquared, statistic: statistic,
                               pValue: SpecialFunctions.chiSquaredTail(statistic, degreesOfFreedom: degrees),
                               effectSize: (statistic / total).squareRoot(), degreesOfFreedom: degrees)
  }
}
