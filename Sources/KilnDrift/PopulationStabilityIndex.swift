import Foundation

/// The population stability index between two binned distributions.
///
/// PSI = Σᵦ (cᵦ − rᵦ)·ln(cᵦ / rᵦ), with rᵦ, cᵦ the reference and current shares of bin b, each
/// floored at `PopulationStabilityIndex.shareFloor` so an empty bin costs a finite amount (an
/// unseen category in 5% of the batch adds 0.05·ln(0.05/0.0001) ≈ 0.31). Common reading: below
/// 0.1 stable, 0.1–0.2 moderate shift, above 0.2 significant shift (Siddiqi, *Credit Risk
/// Scorecards*, 2006).
public enum PopulationStabilityIndex {
  /// The smallest share a bin may take in the formula.
  public static let shareFloor = 1e-4

  /// PSI of two count vectors over the same bins.
  public static func index(referenceCounts: [Int], currentCounts: [Int]) -> Double {
    precondition(referenceCounts.count == currentCounts.count,
                 "PopulationStabilityIndex: \(referenceCounts.count) reference bins but \(currentCounts.count) current")
    let referenceTotal = Double(max(referenceCounts.reduce(0, +), 1)), currentTotal = Double(max(currentCounts.reduce(0, +), 1))
    var sum = 0.0
    for (r, c) in zip(referenceCounts, currentCounts) {
      let referenceShare = max(Double(r) / referenceTotal, shareFloor)
      let currentShare = max(Double(c) / currentTotal, shareFloor)
      sum += (currentShare - referenceShare) * log(currentShare / referenceShare)
    }
    return sum
  }

  /// Bin edges at the reference quantiles k/`bins` (k = 1…bins−1), duplicates removed: bin b holds
  /// values in (edge[b−1], edge[b]], the first bin everything ≤ edge[0], the last everything above.
  /// - Precondition: `sortedReference` is sorted ascending.
  public static func quantileEdges(sortedReference: [Double], bins: Int) -> [Double] {
    precondition(bins >= 2, "quantileEdges: need at least 2 bins, found \(bins)")
    guard !sortedReference.isEmpty else { return [] }
    var edges: [Double] = []
    for k in 1..<bins {
      let position = min(sortedReference.count - 1, Int((Double(k) / Double(bins) * Double(sortedReference.count)).rounded(.up)) - 1)
      let edge = sortedReference[max(position, 0)]
      if edges.last != edge && edge < sortedReference[sortedReference.count - 1] { edges.append(edge) }
    }
    return edges
  }

  /// Counts of sorted values per bin of `edges` (`edges.count + 1` bins), by one merge walk.
  public static func counts(sorted values: [Double], edges: [Double]) -> [Int] {
    var counts = [Int](repeating: 0, count: edges.count + 1)
    var bin = 0
    for value in values {
      while bin < edges.count && value > edges[bin] { bin += 1 }
      counts[bin] += 1
    }
    return counts
  }
}
