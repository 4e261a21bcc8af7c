import Foundation

/// The drift of one feature (or of the scores, or of a group mix): PSI, a two-sample test, the
/// binned shares behind both, and a verdict.
public struct FeatureDrift: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable { case numeric, categorical }

  public var name: String
  public var kind: Kind
  public var referenceCount: Int
  public var currentCount: Int
  public var psi: Double
  public var test: TwoSampleTestResult
  public var verdict: DriftVerdict
  /// Bin labels (numeric: value ranges; categorical: categories) and the share of rows in each.
  public var bins: [String]
  public var referenceShares: [Double]
  public var currentShares: [Double]

  enum CodingKeys: String, CodingKey {
    case name, kind, psi, test, verdict, bins
    case referenceCount = "reference_count", currentCount = "current_count"
    case referenceShares = "reference_shares", currentShares = "current_shares"
  }

  /// Compares a column's reference and current values.
  /// - Returns: `nil` when either side has no values.
  public static func compare(_ column: DriftColumn, thresholds: DriftThresholds) -> FeatureDrift? {
    switch column.values {
    case .numeric(let reference, let current):
      return numeric(name: column.name, reference: reference.sorted(), current: current.sorted(), thresholds: thresholds)
    case .categorical(let categories, let reference, let current):
      return categorical(name: column.name, categories: categories, referenceCounts: counts(reference, categories.count),
                         currentCounts: counts(current, categories.count), thresholds: thresholds)
    }
  }

  /// Numeric drift: PSI over the reference's quantile bins and the Kolmogorov–Smirnov test.
  public static func numeric(name: String, reference: [Double], current: [Double], thresholds: DriftThresholds) -> FeatureDrift? {
    guard !reference.isEmpty, !current.isEmpty else { return nil }
    let edges = PopulationStabilityIndex.quantileEdges(sortedReference: reference, bins: thresholds.bins)
    let referenceCounts = PopulationStabilityIndex.counts(sorted: reference, edges: edges)
    let currentCounts = PopulationStabilityIndex.counts(sorted: current, edges: edges)
    let psi = PopulationStabilityIndex.index(referenceCounts: referenceCounts, currentCounts: currentCounts)
    let test = TwoSampleTest.kolmogorovSmirnov(sortedReference: reference, sortedCurrent: current)
    var labels: [String] = []
    for index in 0...edges.count {
      labels.append(index == 0 ? "≤\(short(edges.first ?? reference[0]))"
                    : index == edges.count ? ">\(short(edges[index - 1]))"
                    : "\(short(edges[index - 1]))–\(short(edges[index]))")
    }
    if edges.isEmpty { labels = ["all"] }
    return FeatureDrift(name: name, kind: .numeric, referenceCount: reference.count, currentCount: current.count, psi: psi,
                        test: test, verdict: thresholds.verdict(psi: psi, pValue: test.pValue), bins: labels,
                        referenceShares: shares(referenceCounts), currentShares: shares(currentCounts))
  }

  /// Categorical drift: PSI over the categories and the χ² test of homogeneity.
  public static func categorical(name: String, categories: [String], referenceCounts: [Int], currentCounts: [Int],
                                 thresholds: DriftThresholds) -> FeatureDrift? {
    let referenceTotal = referenceCounts.reduce(0, +), currentTotal = currentCounts.reduce(0, +)
    guard referenceTotal > 0, currentTotal > 0 else { return nil }
    let psi = PopulationStabilityIndex.index(referenceCounts: referenceCounts, currentCounts: currentCounts)
    let test = TwoSampleTest.chiSquared(referenceCounts: referenceCounts, currentCounts: currentCounts)
    return FeatureDrift(name: name, kind: .categorical, referenceCount: referenceTotal, currentCount: currentTotal, psi: psi,
                        test: test, verdict: thresholds.verdict(psi: psi, pValue: test.pValue), bins: categories,
                        referenceShares: shares(referenceCounts), currentShares: shares(currentCounts))
  }

  static func counts(_ codes: [Int32], _ categoryCount: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: categoryCount)
    for code in codes where code >= 0 && Int(code) < categoryCount { counts[Int(code)] += 1 }
    return counts
  }

  static func shares(_ counts: [Int]) -> [Double] {
    let total = Double(max(counts.reduce(0, +), 1))
    return counts.map { Double($0) / total }
  }

  static func short(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.3g", value)
  }
}
