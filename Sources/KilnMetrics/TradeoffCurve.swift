/// The achievable (x, y) trade-offs of one group's thresholds and their upper convex hull, read at
/// a grid of x values: fairlearn's `_tradeoff_curve` and `_interpolate_curve`.
///
/// Each distinct score gives the rule "predict 1 when score > t", with t halfway between it and
/// the next lower score (the first rule, t = +∞, predicts nothing; the last, t = −∞, everything);
/// with `flip`, "score < t" too. The rules' (x, y) points are sorted by x then y, and the upper
/// hull (Andrew's monotone chain) keeps those no mixture of two others beats. A grid point x
/// between hull points i and i + 1 is reached by using rule i with probability
/// p₀ = (xᵢ₊₁ − x) / (xᵢ₊₁ − xᵢ) and rule i + 1 otherwise (Hardt et al. 2016, arXiv:1610.02413).
struct TradeoffCurve {
  struct Point {
    var x: Double
    var y: Double
    var operation: ThresholdOperation
  }

  /// A grid point: its y and the mixture of two hull rules that reaches it.
  struct GridPoint {
    var x: Double
    var y: Double
    var mixture: ThresholdMixture
  }

  let hull: [Point]

  /// The hull of `scores` against `labels` (0 or 1); nil when the labels hold one class only.
  init?(scores: [Double], labels: [Int], flip: Bool, x: TradeoffRate, y: (TradeoffCounts) -> Double) {
    let positives = labels.reduce(0) { $0 + $1 }
    let negatives = labels.count - positives
    guard positives > 0, negatives > 0 else { return nil }
    // Descending by score; ties are consumed together, so their order does not matter.
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var points: [Point] = []
    var counted = [0, 0]
    var position = 0
    var first = true
    while position < order.count {
      var threshold = Double.infinity
      if first {
        first = false
      } else {
        let score = scores[order[position]]
        while position < order.count, scores[order[position]] == score {
          counted[labels[order[position]]] += 1
          position += 1
        }
        threshold = (score + (position < order.count ? scores[order[position]] : -.infinity)) / 2
      }
      let (falsePositives, truePositives) = (Double(counted[0]), Double(counted[1]))
      let above = TradeoffCounts(truePositives: truePositives, falsePositives: falsePositives,
                                 trueNegatives: Double(negatives) - falsePositives, falseNegatives: Double(positives) - truePositives)
      points.append(Point(x: x.value(above), y: y(above), operation: ThresholdOperation(.above, threshold)))
      if flip {
        let below = TradeoffCounts(truePositives: Double(positives) - truePositives, falsePositives: Double(negatives) - falsePositives,
                                   trueNegatives: falsePositives, falseNegatives: truePositives)
        points.append(Point(x: x.value(below), y: y(below), operation: ThresholdOperation(.below, threshold)))
      }
    }
    // A stable sort by (x, y), as pandas sorts on two keys.
    let sorted = points.enumerated().sorted { lhs, rhs in
      (lhs.element.x, lhs.element.y, lhs.offset) < (rhs.element.x, rhs.element.y, rhs.offset)
    }.map(\.element)
    hull = Self.upperHull(sorted)
  }

  /// The upper convex hull of points sorted by (x, y); collinear middle points are dropped.
  static func upperHull(_ sorted: [Point]) -> [Point] {
    var kept: [Point] = []
    for next in sorted {
      while kept.count >= 2 {
        let (first, last) = (kept[kept.count - 2], kept[kept.count - 1])
        guard (last.y - first.y) * (next.x - first.x) <= (next.y - first.y) * (last.x - first.x) else { break }
        kept.removeLast()
      }
      kept.append(next)
    }
    return kept
  }

  /// The hull read at each grid value (ascending, from 0 to 1, which the hull spans).
  func interpolated(at grid: [Double]) -> [GridPoint] {
    grid.enumerated().map { index, x in
      // The last hull point at or left of x; a grid value equal to a hull point's x (past the
      // first grid value) is read on the segment ending there, as fairlearn reads it.
      var left = hull.lastIndex { $0.x <= x } ?? 0
      if index > 0, x == hull[left].x { left -= 1 }
      left = min(max(left, 0), hull.count - 2)
      let (from, to) = (hull[left], hull[left + 1])
      let p0 = (to.x - x) / (to.x - from.x)
      let p1 = 1 - p0
      return GridPoint(x: x, y: p0 * from.y + p1 * to.y,
                       mixture: ThresholdMixture(p0: p0, operation0: from.operation, p1: p1, operation1: to.operation))
    }
  }

  /// numpy's `linspace(0, 1, count + 1)`: i·(1/count), and exactly 1 at the end.
  static func grid(size: Int) -> [Double] {
    let step = 1 / Double(size)
    return (0...size).map { $0 == size ? 1 : Double($0) * step }
  }
}
