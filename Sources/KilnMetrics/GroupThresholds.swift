import KilnRandom

/// A decision rule on a score: "score > t" (or, flipped, "score < t"); t may be ±∞.
public struct ThresholdOperation: Sendable, Equatable {
  public enum Comparison: String, Codable, Sendable {
    case above = ">"
    case below = "<"
  }

  public var comparison: Comparison
  public var threshold: Double

  public init(_ comparison: Comparison, _ threshold: Double) {
    self.comparison = comparison
    self.threshold = threshold
  }

  /// 1 when the rule predicts the positive class for `score`, else 0.
  public func decision(_ score: Double) -> Double {
    switch comparison {
    case .above: return score > threshold ? 1 : 0
    case .below: return score < threshold ? 1 : 0
    }
  }
}

extension ThresholdOperation: Codable {
  enum CodingKeys: String, CodingKey { case comparison = "operator", threshold }

  // JSON has no infinity: ±∞ thresholds are written "Infinity" / "-Infinity" (as metric values are).
  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    comparison = try container.decode(Comparison.self, forKey: .comparison)
    threshold = try container.decodeNullableDouble(forKey: .threshold)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(comparison, forKey: .comparison)
    try container.encodeNullableDouble(threshold, forKey: .threshold)
  }
}

/// One group's randomised decision: rule 0 with probability p₀, rule 1 with p₁ = 1 − p₀; under
/// equalized odds, with probability `ignoreProbability` the score is ignored and the positive
/// class is predicted with probability `constantProbability` (fairlearn's `p_ignore` and
/// `prediction_constant`).
///
/// P(ŷ = 1 | s) = p_ignore·c + (1 − p_ignore)·(p₀·[rule₀(s)] + p₁·[rule₁(s)]).
public struct ThresholdMixture: Codable, Sendable, Equatable {
  public var p0: Double
  public var operation0: ThresholdOperation
  public var p1: Double
  public var operation1: ThresholdOperation
  public var ignoreProbability: Double
  public var constantProbability: Double

  enum CodingKeys: String, CodingKey {
    case p0, operation0, p1, operation1
    case ignoreProbability = "ignore_probability", constantProbability = "constant_probability"
  }

  public init(p0: Double, operation0: ThresholdOperation, p1: Double, operation1: ThresholdOperation,
              ignoreProbability: Double = 0, constantProbability: Double = 0) {
    self.p0 = p0
    self.operation0 = operation0
    self.p1 = p1
    self.operation1 = operation1
    self.ignoreProbability = ignoreProbability
    self.constantProbability = constantProbability
  }

  /// P(ŷ = 1) for `score`.
  public func positiveProbability(_ score: Double) -> Double {
    let thresholded = p0 * operation0.decision(score) + p1 * operation1.decision(score)
    return ignoreProbability * constantProbability + (1 - ignoreProbability) * thresholded
  }
}

/// Group-specific thresholds fitted under a fairness constraint: fairlearn's `ThresholdOptimizer`
/// result, stored with the model and applied to its scores (with the row's group).
public struct GroupThresholds: Codable, Sendable, Equatable {
  public var constraint: FairnessConstraint
  public var objective: ThresholdObjective
  /// The grouping's name (`sex`, or `sex&race`) and its attributes.
  public var grouping: String
  public var attributes: [String]
  /// Each group's rule, by group name (`Female`, `Female&White`).
  public var rules: [String: ThresholdMixture]
  /// The split the rules were fitted on (`validation`, `train`), when known.
  public var fitSplit: String?

  enum CodingKeys: String, CodingKey {
    case constraint, objective, grouping, attributes, rules
    case fitSplit = "fit_split"
  }

  public init(constraint: FairnessConstraint, objective: ThresholdObjective, grouping: String, attributes: [String],
              rules: [String: ThresholdMixture]) {
    self.constraint = constraint
    self.objective = objective
    self.grouping = grouping
    self.attributes = attributes
    self.rules = rules
  }

  /// P(ŷ = 1) of each row, from its score and the name of its group.
  public func positiveProbabilities(scores: [Double], groups: [String]) throws -> [Double] {
    precondition(scores.count == groups.count, "GroupThresholds: \(scores.count) scores but \(groups.count) groups")
    return try zip(scores, groups).map { score, group in
      guard let rule = rules[group] else { throw MitigationError.unknownGroup(group, grouping: grouping, known: rules.keys.sorted()) }
      return rule.positiveProbability(score)
    }
  }

  /// The randomised predictions: row i is positive when its draw uᵢ ∈ [0, 1) falls below its
  /// P(ŷ = 1), so it is positive with exactly that probability. uᵢ comes from a counter-based
  /// generator keyed by `seed` (`RandomStream.decisionMixing`) at `rowIDs[i]` (its dataset row or
  /// its line), so a row's decision does not depend on batching, order or the number of workers.
  public func predictions(scores: [Double], groups: [String], rowIDs: [Int], seed: UInt64) throws -> [Int] {
    precondition(rowIDs.count == scores.count, "GroupThresholds: \(rowIDs.count) row ids for \(scores.count) scores")
    let probabilities = try positiveProbabilities(scores: scores, groups: groups)
    return Self.randomisedDecisions(probabilities: probabilities, rowIDs: rowIDs, seed: seed)
  }

  /// Positive where row i's uniform draw falls below `probabilities[i]` (see `predictions`).
  public static func randomisedDecisions(probabilities: [Double], rowIDs: [Int], seed: UInt64) -> [Int] {
    let generator = CounterGenerator(seed: seed, stream: .decisionMixing)
    return zip(probabilities, rowIDs).map { probability, row in
      if probability >= 1 { return 1 }
      if probability <= 0 { return 0 }
      return uniform(row: row, on: generator) < probability ? 1 : 0
    }
  }

  /// Row `row`'s uniform draw in [0, 1) on `generator` (the decision-mixing stream of a seed):
  /// the same row id gives the same draw in any batch.
  static func uniform(row: Int, on generator: CounterGenerator) -> Double {
    let bits = CounterGenerator.bits(subkey: generator.subkey(UInt64(bitPattern: Int64(row)), 0, 0), index: 0)
    return Double(bits >> 11) * 0x1p-53
  }
}
