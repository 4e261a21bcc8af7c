/// How a score becomes a predicted label: predict 1 when score ≥ threshold.
public enum DecisionThreshold: Codable, Sendable, Equatable {
  /// A threshold given in advance (0.5 is the usual one).
  case fixed(Double)
  /// The threshold that maximises `criterion` on the validation split.
  case chosenOnValidation(ThresholdCriterion)

  /// The threshold to use, given the validation labels and scores (used only when choosing).
  public func resolved(validationLabels: [Int], validationScores: [Double]) -> ThresholdChoice {
    switch self {
    case .fixed(let threshold):
      return ThresholdChoice(threshold: threshold, criterion: nil, criterionValue: .nan)
    case .chosenOnValidation(let criterion):
      return Self.choose(labels: validationLabels, scores: validationScores, maximizing: criterion)
    }
  }

  /// The labels predicted from `scores` at `threshold` (1 when score ≥ threshold).
  public static func predictions(scores: [Double], threshold: Double) -> [Int] {
    scores.map { $0 >= threshold ? 1 : 0 }
  }

  /// The distinct score that, used as the threshold, maximises `criterion` over `labels`.
  /// Candidates are visited from the highest score down, so ties go to the highest threshold.
  public static func choose(labels: [Int], scores: [Double], maximizing criterion: ThresholdCriterion) -> ThresholdChoice {
    precondition(labels.count == scores.count, "DecisionThreshold.choose: \(labels.count) labels but \(scores.count) scores")
    precondition(!labels.isEmpty, "DecisionThreshold.choose: needs at least one validation row")
    let order = RankingMetrics.ascendingOrder(scores).reversed().map(Int.init)
    let positives = labels.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
    var counts = ConfusionCounts(truePositives: 0, falsePositives: 0, trueNegatives: labels.count - positives, falseNegatives: positives)
    var best = ThresholdChoice(threshold: .infinity, criterion: criterion, criterionValue: -.infinity)
    for (position, row) in order.enumerated() {
      if labels[row] == 1 {
        counts.truePositives += 1
        counts.falseNegatives -= 1
      } else {
        counts.falsePositives += 1
        counts.trueNegatives -= 1
      }
      let isLastOfTie = position == order.count - 1 || scores[order[position + 1]] != scores[row]
      guard isLastOfTie else { continue }
      let value = criterion.value(counts)
      if value > best.criterionValue { best = ThresholdChoice(threshold: scores[row], criterion: criterion, criterionValue: value) }
    }
    return best
  }
}

/// What a chosen threshold maximises.
public enum ThresholdCriterion: String, Codable, Sendable, CaseIterable {
  /// F1 = 2·TP / (2·TP + FP + FN).
  case f1
  /// Youden's J = TPR + TNR − 1, the ROC point farthest above the diagonal.
  case youdenJ = "youden_j"

  /// The criterion's value for `counts`.
  public func value(_ counts: ConfusionCounts) -> Double {
    switch self {
    case .f1: return counts.f1
    case .youdenJ: return counts.youdenJ
    }
  }
}

/// A threshold and why it was chosen; reported with the metrics it produced.
public struct ThresholdChoice: Codable, Sendable, Equatable {
  /// Predict 1 when score ≥ threshold.
  public var threshold: Double
  /// The criterion it maximises on validation, or nil for a fixed threshold.
  public var criterion: ThresholdCriterion?
  /// The criterion's value on validation (NaN for a fixed threshold).
  public var criterionValue: Double

  public init(threshold: Double, criterion: ThresholdCriterion?, criterionValue: Double) {
    self.threshold = threshold
    self.criterion = criterion
    self.criterionValue = criterionValue
  }

  public static func == (lhs: ThresholdChoice, rhs: ThresholdChoice) -> Bool {
    lhs.threshold == rhs.threshold && lhs.criterion == rhs.criterion
      && (lhs.criterionValue == rhs.criterionValue || (lhs.criterionValue.isNaN && rhs.criterionValue.isNaN))
  }

  enum CodingKeys: String, CodingKey {
    case threshold, criterion
    case criterionValue = "criterion_value"
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    threshold = try container.decodeNullableDouble(forKey: .threshold)
    criterion = try container.decodeIfPresent(ThresholdCriterion.self, forKey: .criterion)
    criterionValue = try container.decodeNullableDouble(forKey: .criterionValue)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeNullableDouble(threshold, forKey: .threshold)
    try container.encodeIfPresent(criterion, forKey: .criterion)
    try container.encodeNullableDouble(criterionValue, forKey: .criterionValue)
  }
}
