import KilnMetricDirection

/// Pareto dominance, non-dominated sorting, crowding distance and hypervolume over objective
/// vectors: what multi-objective samplers, pruners, `Study.paretoFront()` and the benchmarks read.
///
/// Values are compared after `MetricDirection.lossOriented` (smaller is better in every
/// dimension). A vector with a NaN is dominated by every vector without one and dominates none.
public enum Pareto {
  /// Whether `a` dominates `b`: no worse in every objective and better in at least one.
  public static func dominates(_ a: [Double], _ b: [Double], directions: [MetricDirection]) -> Bool {
    precondition(a.count == directions.count && b.count == directions.count,
                 "Pareto.dominates: \(a.count) and \(b.count) values for \(directions.count) objectives")
    let aBroken = a.contains(where: \.isNaN)
    let bBroken = b.contains(where: \.isNaN)
    if aBroken || bBroken { return !aBroken && bBroken }
    var strictlyBetter = false
    for (index, direction) in directions.enumerated() {
      let x = direction.lossOriented(a[index])
      let y = direction.lossOriented(b[index])
      if x > y { return false }
      if x < y { strictlyBetter = true }
    }
    return strictlyBetter
  }

  /// The complete trials among `trials` with a value per objective that no other such trial
  /// dominates, in the order given.
  public static func front(of trials: [TrialRecord], directions: [MetricDirection]) -> [TrialRecord] {
    let complete = trials.filter { $0.state == .complete && $0.values?.count == directions.count }
    let ranks = Pareto.ranks(complete.map { $0.values ?? [] }, directions: directions)
    return zip(complete, ranks).filter { $0.1 == 0 }.map(\.0)
  }

  /// The non-domination rank of each vector (0 for the Pareto front, 1 for the front once rank 0
  /// is removed, …), by the fast non-dominated sort of Deb et al. (2002), O(m·n²).
  public static func ranks(_ points: [[Double]], directions: [MetricDirection]) -> [Int] {
    let count = points.count
    var dominatedBy = [Int](repeating: 0, count: count)
    var dominating = [[Int]](repeating: [], count: count)
    for i in 0..<count {
      for j in (i + 1)..<max(count, i + 1) {
        if dominates(points[i], points[j], directions: directions) {
          dominating[i].append(j)
          dominatedBy[j] += 1
        } else if dominates(points[j], points[i], directions: directions) {
          dominating[j].append(i)
          dominatedBy[i] += 1
        }
      }
    }
    var rank = [Int](repeating: 0, count: count)
    var front = (0..<count).filter { dominatedBy[$0] == 0 }
    var level = 0
    while !front.isEmpty {
      var next: [Int] = []
      for i in front {
        rank[i] = level
        for j in dominating[i] {
          dominatedBy[j] -= 1
          if dominatedBy[j] == 0 { next.append(j) }
        }
      }
      front = next.sorted()
      level += 1
    }
    return rank
  }

  /// The crowding distance of each vector within one front (Deb et al. 2002): per objective, the
  /// gap between its two neighbours divided by the objective's range, summed; the extremes of an
  /// objective with a positive range get infinity. Larger means less crowded.
  public static func crowdingDistances(_ points: [[Double]]) -> [Double] {
    let count = points.count
    var distance = [Double](repeating: 0, count: count)
    guard count > 2, let dimensions = points.first?.count else {
      return [Double](repeating: .infinity, count: count)
    }
    for dimension in 0..<dimensions {
      let order = (0..<count).sorted {
        (points[$0][dimension], $0) < (points[$1][dimension], $1)
      }
      let low = points[order[0]][dimension]
      let high = points[order[count - 1]][dimension]
      let width = high - low
      guard width > 0, width.isFinite else { continue }
      distance[order[0]] = .infinity
      distance[order[count - 1]] = .infinity
      for position in 1..<(count - 1) {
        let gap = points[order[position + 1]][dimension] - points[order[position - 1]][dimension]
        distance[order[position]] += gap / width
      }
    }
    return distance
  }

  /// The indices of the `count` best vectors by NSGA-II's elitist selection: whole fronts in rank
  /// order, and from the front that does not fit, the least crowded first (ties by index).
  public static func select(_ count: Int, from points: [[Double]], directions: [MetricDirection]) -> [Int] {
    guard count < points.count else { return Array(points.indices) }
    let rank = ranks(points, directions: directions)
    var chosen: [Int] = []
    var level = 0
    while chosen.count < count {
      let front = points.indices.filter { rank[$0] == level }
      if chosen.count + front.count <= count {
        chosen += front
      } else {
        let distances = crowdingDistances(front.map { oriented(points[$0], directions) })
        let order = front.indices.sorted { (-distances[$0], front[$0]) < (-distances[$1], front[$1]) }
        chosen += order.prefix(count - chosen.count).map { front[$0] }
      }
      level += 1
    }
    return chosen.sorted()
  }

  /// The hypervolume dominated by `points` and bounded by `reference` (a point worse than every
  /// vector of interest in every objective): the Lebesgue measure of the region between the front
  /// and the reference. Vectors not strictly better than the reference in every objective add
  /// nothing. Exact; O(n log n) for two objectives, by slicing along the first objective beyond.
  public static func hypervolume(_ points: [[Double]], reference: [Double], directions: [MetricDirection]) -> Double {
    let ref = oriented(reference, directions)
    let inside = points.map { oriented($0, directions) }.filter { point in
      !point.contains(where: \.isNaN) && zip(point, ref).allSatisfy { $0 < $1 }
    }
    return volume(inside, reference: ref)
  }

  static func oriented(_ point: [Double], _ directions: [MetricDirection]) -> [Double] {
    zip(point, directions).map { $1.lossOriented($0) }
  }

  /// The volume dominated by `points` (all strictly inside `reference`, minimisation).
  private static func volume(_ points: [[Double]], reference: [Double]) -> Double {
    guard !points.isEmpty else { return 0 }
    let dimensions = reference.count
    if dimensions == 1 { return reference[0] - points.reduce(reference[0]) { min($0, $1[0]) } }
    if dimensions == 2 {
      var total = 0.0
      var bestSecond = reference[1]
      for point in points.sorted(by: { ($0[0], $0[1]) < ($1[0], $1[1]) }) where point[1] < bestSecond {
        total += (reference[0] - point[0]) * (bestSecond - point[1])
        bestSecond = point[1]
      }
      return total
    }
    // Slices between consecutive values of the last objective: each slab's cross-section is the
    // (d − 1)-dimensional volume of the points at or below it.
    let sorted = points.sorted { $0[dimensions - 1] < $1[dimensions - 1] }
    var total = 0.0
    for (index, point) in sorted.enumerated() {
      let top = index + 1 < sorted.count ? sorted[index + 1][dimensions - 1] : reference[dimensions - 1]
      let height = top - point[dimensions - 1]
      guard height > 0 else { continue }
      let section = sorted[...index].map { Array($0.prefix(dimensions - 1)) }
      total += height * volume(section, reference: Array(reference.prefix(dimensions - 1)))
    }
    return total
  }
}
