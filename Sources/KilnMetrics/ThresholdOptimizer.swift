import Foundation

/// Post-processing by group-specific thresholds (Hardt, Price & Srebro 2016, arXiv:1610.02413),
/// with fairlearn's `ThresholdOptimizer` semantics, so the same scores give its thresholds,
/// mixtures and disparities.
///
/// One-rate constraints (demographic parity, TPR or FPR parity): each group's trade-off of the
/// objective against the equalised rate is read on the grid x ∈ {0, 1/G, …, 1}; the common x
/// maximising Σₐ (nₐ/n)·yₐ(x) is chosen (the first on ties), and each group reaches it by mixing
/// two thresholds.
///
/// Equalized odds: each group's ROC hull (TPR against FPR) is read on the FPR grid; at each FPR x
/// the TPR every group can reach is y(x) = minₐ TPRₐ(x); the x maximising the objective of
/// (FPR x, TPR y(x)) over all rows (rounded to 15 decimals, first on ties) is chosen. A group
/// whose hull lies above y there drops to it by ignoring its score with probability
/// p = (TPRₐ − y) / (TPRₐ − x) and predicting positive with probability x.
public struct ThresholdOptimizer: Sendable {
  public var constraint: FairnessConstraint
  public var objective: ThresholdObjective
  /// Grid intervals over [0, 1] (fairlearn's `grid_size`, 1000).
  public var gridSize: Int
  /// Also consider "score < t" rules (fairlearn's `flip`).
  public var flip: Bool

  public init(constraint: FairnessConstraint, objective: ThresholdObjective = .accuracy, gridSize: Int = 1000, flip: Bool = false) {
    precondition(gridSize >= 1, "ThresholdOptimizer: gridSize \(gridSize) must be at least 1")
    self.constraint = constraint
    self.objective = objective
    self.gridSize = gridSize
    self.flip = flip
  }

  /// What fitting found besides the rules: the chosen grid point.
  public struct Fit: Sendable {
    public var thresholds: GroupThresholds
    /// The chosen value of the equalised rate (FPR under equalized odds).
    public var bestX: Double
    /// The objective there (one-rate constraints) or the common TPR (equalized odds).
    public var bestY: Double
  }

  /// Fits thresholds to `scores` and `labels` (0 or 1) of the rows of `grouping`. Groups with no
  /// rows are skipped; a group whose rows hold one label only cannot be fitted.
  public func fit(scores: [Double], labels: [Int], grouping: Grouping) throws -> Fit {
    precondition(scores.count == labels.count && labels.count == grouping.codes.count,
                 "ThresholdOptimizer: \(scores.count) scores, \(labels.count) labels, \(grouping.codes.count) group codes")
    guard !scores.isEmpty else { throw MitigationError("no rows to fit group thresholds on", hint: "fit on a non-empty split") }
    if let row = scores.firstIndex(where: { !$0.isFinite }) {
      throw MitigationError("row \(row) has the score \(scores[row]); thresholds need finite scores")
    }
    if let row = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
      throw MitigationError("row \(row) has the label \(labels[row]); group thresholds are for binary labels 0 and 1")
    }
    var rowsOfGroup = [[Int]](repeating: [], count: grouping.groupCount)
    for (row, code) in grouping.codes.enumerated() { rowsOfGroup[Int(code)].append(row) }
    let present = rowsOfGroup.indices.filter { !rowsOfGroup[$0].isEmpty }
    let grid = TradeoffCurve.grid(size: gridSize)

    var curves: [[TradeoffCurve.GridPoint]] = []
    for group in present {
      let rows = rowsOfGroup[group]
      let groupLabels = rows.map { labels[$0] }
      let x = constraint.equalisedRate ?? .falsePositiveRate
      let objective = self.objective
      let y: (TradeoffCounts) -> Double = constraint == .equalizedOdds ? TradeoffRate.truePositiveRate.value : objective.value
      guard let curve = TradeoffCurve(scores: rows.map { scores[$0] }, labels: groupLabels, flip: flip, x: x, y: y) else {
        throw MitigationError.degenerateLabels(group: grouping.groupName(group), grouping: grouping.name, label: groupLabels[0])
      }
      curves.append(curve.interpolated(at: grid))
    }

    var rules: [String: ThresholdMixture] = [:]
    let best: (index: Int, x: Double, y: Double)
    if constraint == .equalizedOdds {
      let positives = Double(labels.reduce(0, +))
      let negatives = Double(labels.count) - positives
      let common = grid.indices.map { index in curves.reduce(Double.infinity) { min($0, $1[index].y) } }
      let values = grid.indices.map { index -> Double in
        let counts = TradeoffCounts(truePositives: positives * common[index], falsePositives: negatives * grid[index],
                                    trueNegatives: negatives * (1 - grid[index]), falseNegatives: positives * (1 - common[index]))
        return Self.roundedTo15Decimals(objective.value(counts))
      }
      let index = Self.firstMaximum(values)
      best = (index, grid[index], common[index])
      for (position, group) in present.enumerated() {
        let point = curves[position][index]
        var mixture = point.mixture
        mixture.ignoreProbability = point.y == point.x ? 0 : (point.y - best.y) / (point.y - point.x)
        mixture.constantProbability = best.x
        rules[grouping.groupName(group)] = mixture
      }
    } else {
      let proportions = present.map { Double(rowsOfGroup[$0].count) / Double(scores.count) }
      let overall = grid.indices.map { index in
        zip(proportions, curves).reduce(0.0) { sum, pair in sum + pair.0 * pair.1[index].y }
      }
      let index = Self.firstMaximum(overall)
      best = (index, grid[index], overall[index])
      for (position, group) in present.enumerated() { rules[grouping.groupName(group)] = curves[position][index].mixture }
    }
    let thresholds = GroupThresholds(constraint: constraint, objective: objective, grouping: grouping.name,
                                     attributes: grouping.attributeNames, rules: rules)
    return Fit(thresholds: thresholds, bestX: best.x, bestY: best.y)
  }

  /// The index of the first largest value (pandas' `idxmax`, NaN skipped).
  static func firstMaximum(_ values: [Double]) -> Int {
    var best: Int?
    for (index, value) in values.enumerated() where !value.isNaN {
      if let current = best, !(value > values[current]) { continue }
      best = index
    }
    return best ?? 0
  }

  /// numpy's `around(value, 15)`: scale by 10¹⁵, round half to even, scale back.
  static func roundedTo15Decimals(_ value: Double) -> Double {
    (value * 1e15).rounded(.toNearestOrEven) / 1e15
  }
}
