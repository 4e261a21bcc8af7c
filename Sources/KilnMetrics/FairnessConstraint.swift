/// What a mitigation equalises across groups (fairlearn's constraint names).
///
/// - demographic parity: equal selection rates P(ŷ = 1 | A = a) (Calders & Verwer 2010).
/// - true-positive-rate parity (equal opportunity): equal P(ŷ = 1 | Y = 1, A = a)
///   (Hardt, Price & Srebro 2016, arXiv:1610.02413).
/// - false-positive-rate parity: equal P(ŷ = 1 | Y = 0, A = a).
/// - equalized odds: both rates equal at once (Hardt et al. 2016).
public enum FairnessConstraint: String, Codable, Sendable, CaseIterable {
  case demographicParity = "demographic_parity"
  case truePositiveRateParity = "true_positive_rate_parity"
  case falsePositiveRateParity = "false_positive_rate_parity"
  case equalizedOdds = "equalized_odds"

  /// The rate a one-dimensional constraint equalises (nil for equalized odds, which equalises two).
  var equalisedRate: TradeoffRate? {
    switch self {
    case .demographicParity: return .selectionRate
    case .truePositiveRateParity: return .truePositiveRate
    case .falsePositiveRateParity: return .falsePositiveRate
    case .equalizedOdds: return nil
    }
  }

  /// The fairness measure a gate reads to judge this constraint (`FairnessMeasure`).
  public var measure: FairnessMeasure {
    switch self {
    case .demographicParity: return .demographicParityDifference
    case .truePositiveRateParity: return .equalOpportunityDifference
    case .falsePositiveRateParity, .equalizedOdds: return .equalizedOddsDifference
    }
  }
}

/// What group-specific thresholds maximise subject to the constraint (fairlearn's objectives).
public enum ThresholdObjective: String, Codable, Sendable, CaseIterable {
  /// (TP + TN) / n.
  case accuracy
  /// ½·TPR + ½·TNR.
  case balancedAccuracy = "balanced_accuracy"

  func value(_ counts: TradeoffCounts) -> Double {
    switch self {
    case .accuracy: return (counts.truePositives + counts.trueNegatives) / counts.total
    case .balancedAccuracy:
      return 0.5 * counts.truePositives / counts.positives + 0.5 * counts.trueNegatives / counts.negatives
    }
  }
}

/// A rate on the x-axis of a trade-off curve.
enum TradeoffRate {
  case selectionRate, truePositiveRate, falsePositiveRate

  func value(_ counts: TradeoffCounts) -> Double {
    switch self {
    case .selectionRate: return (counts.truePositives + counts.falsePositives) / counts.total
    case .truePositiveRate: return counts.truePositives / counts.positives
    case .falsePositiveRate: return counts.falsePositives / counts.negatives
    }
  }
}

/// Confusion counts as reals (a curve's points interpolate between integer counts).
struct TradeoffCounts {
  var truePositives: Double
  var falsePositives: Double
  var trueNegatives: Double
  var falseNegatives: Double

  var positives: Double { truePositives + falseNegatives }
  var negatives: Double { trueNegatives + falsePositives }
  // Summed in fairlearn's order, so interpolated counts give its values to the last bit.
  var total: Double { truePositives + trueNegatives + falsePositives + falseNegatives }
}
