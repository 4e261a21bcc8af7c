import KilnRandom

/// What a reduction found, as stored with a model: the hypotheses and their weights in the
/// randomized mixture (one-hot at the chosen grid point for a grid search), and what each
/// hypothesis achieved on the rows it was fitted on.
public struct ReductionMixture: Codable, Sendable, Equatable {
  public var method: String
  public var constraint: ReductionConstraint
  /// The grouping's name (`sex`, `sex&race`) and its attributes.
  public var grouping: String
  public var attributes: [String]
  public var bound: Double
  public var hypotheses: [ReductionHypothesis]
  public var weights: [Double]
  /// Each hypothesis's objective (error rate or mean loss) and its largest constraint value
  /// on the training rows.
  public var errors: [Double]
  public var worstViolations: [Double]

  public init(method: String, constraint: ReductionConstraint, grouping: Grouping, bound: Double, hypotheses: [ReductionHypothesis],
              weights: [Double], errors: [Double], gammas: [[Double]]) {
    precondition(hypotheses.count == weights.count && weights.count == errors.count && errors.count == gammas.count,
                 "ReductionMixture: \(hypotheses.count) hypotheses, \(weights.count) weights, \(errors.count) errors, \(gammas.count) γ")
    self.method = method
    self.constraint = constraint
    self.grouping = grouping.name
    attributes = grouping.attributeNames
    self.bound = bound
    self.hypotheses = hypotheses
    self.weights = weights
    self.errors = errors
    worstViolations = gammas.map { $0.max() ?? 0 }
  }

  /// The hypothesis with the largest weight (the first on ties): the `best` single predictor.
  public var heaviest: Int {
    weights.indices.max { weights[$0] < weights[$1] || (weights[$0] == weights[$1] && $0 > $1) } ?? 0
  }

  /// P(ŷ = 1) per row: Σₕ wₕ·ŷₕ, from each hypothesis's 0/1 decisions (hypotheses of weight 0 may
  /// pass an empty array).
  public func positiveProbabilities(decisions: [[Double]], rowCount: Int) -> [Double] {
    var mixed = [Double](repeating: 0, count: rowCount)
    for (weight, rows) in zip(weights, decisions) where weight != 0 {
      precondition(rows.count == rowCount, "ReductionMixture: \(rows.count) decisions for \(rowCount) rows")
      for row in 0..<rowCount { mixed[row] += weight * rows[row] }
    }
    return mixed
  }

  /// The mixture's randomized decisions: row i is positive when its uniform draw (keyed by the
  /// seed and its row id on the decision-mixing stream, as group thresholds draw) falls below
  /// P(ŷ = 1), so the same seed gives the same decisions on any subset of rows.
  public func decisions(decisions: [[Double]], rowIDs: [Int], seed: UInt64) -> [Int] {
    GroupThresholds.randomisedDecisions(probabilities: positiveProbabilities(decisions: decisions, rowCount: rowIDs.count),
                                        rowIDs: rowIDs, seed: seed)
  }

  /// A regression mixture's predictions, fairlearn's `ExponentiatedGradient.predict`: row i takes
  /// the value of one hypothesis, drawn with probability its weight by the row's uniform draw
  /// (the same draw as `decisions`: keyed by the seed and the row id on the decision-mixing
  /// stream), so the same seed gives the same predictions on any subset of rows.
  /// - Parameter values: each hypothesis's values per row (weight-0 hypotheses may pass an empty array).
  public func drawnValues(values: [[Double]], rowIDs: [Int], seed: UInt64) -> [Double] {
    let generator = CounterGenerator(seed: seed, stream: .decisionMixing)
    let members = weights.indices.filter { weights[$0] > 0 }
    let total = members.reduce(0) { $0 + weights[$1] }
    return rowIDs.enumerated().map { position, row in
      let target = GroupThresholds.uniform(row: row, on: generator) * total
      var cumulative = 0.0
      // Rounding can leave the last cumulative weight a hair below the total: the last member then.
      var chosen = members.last ?? 0
      for member in members {
        cumulative += weights[member]
        if target < cumulative { chosen = member; break }
      }
      precondition(values[chosen].count == rowIDs.count, "ReductionMixture: \(values[chosen].count) values for \(rowIDs.count) rows")
      return values[chosen][position]
    }
  }
}
