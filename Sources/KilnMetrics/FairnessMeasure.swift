/// A named fairness measure, composed from a `MetricFrame`'s differences and ratios.
///
/// Definitions follow fairlearn 0.15 (https://fairlearn.org/v0.15/api_reference/):
/// - demographic parity: difference / ratio of selection rates (Calders & Verwer 2010).
/// - equalized odds (Hardt, Price & Srebro 2016, arXiv:1610.02413): the TPR and FPR disparities
///   combined by `worst_case` — Python `max(tpr, fpr)` for differences, `min` for ratios — or by
///   their mean (`_mean`).
/// - equal opportunity: difference / ratio of true positive rates.
/// - predictive parity: difference of precisions (Chouldechova 2017, arXiv:1703.00056).
/// - disparate impact: the ratio of selection rates, checked against the four-fifths rule
///   (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)): a ratio below 0.8 is flagged.
public enum FairnessMeasure: String, CaseIterable, Codable, Sendable {
  case demographicParityDifference = "demographic_parity_difference"
  case demographicParityRatio = "demographic_parity_ratio"
  case equalizedOddsDifference = "equalized_odds_difference"
  case equalizedOddsDifferenceMean = "equalized_odds_difference_mean"
  case equalizedOddsRatio = "equalized_odds_ratio"
  case equalizedOddsRatioMean = "equalized_odds_ratio_mean"
  case equalOpportunityDifference = "equal_opportunity_difference"
  case equalOpportunityRatio = "equal_opportunity_ratio"
  case predictiveParityDifference = "predictive_parity_difference"
  case disparateImpact = "disparate_impact"

  /// The four-fifths rule's threshold for `disparateImpact`.
  public static let fourFifthsThreshold = 0.8

  /// The per-group metrics the measure is computed from.
  public var basis: [GroupMetric] {
    switch self {
    case .demographicParityDifference, .demographicParityRatio, .disparateImpact: return [.selectionRate]
    case .equalizedOddsDifference, .equalizedOddsDifferenceMean, .equalizedOddsRatio, .equalizedOddsRatioMean:
      return [.truePositiveRate, .falsePositiveRate]
    case .equalOpportunityDifference, .equalOpportunityRatio: return [.truePositiveRate]
    case .predictiveParityDifference: return [.precision]
    }
  }

  /// The measure's value given the per-metric `difference` and `ratio` for one method.
  public func value(difference: (GroupMetric) -> Double, ratio: (GroupMetric) -> Double) -> Double {
    switch self {
    case .demographicParityDifference: return difference(.selectionRate)
    case .demographicParityRatio, .disparateImpact: return ratio(.selectionRate)
    case .equalizedOddsDifference:
      return Disparity.pythonMax(difference(.truePositiveRate), difference(.falsePositiveRate))
    case .equalizedOddsDifferenceMean:
      return Disparity.meanSkippingNaN(difference(.truePositiveRate), difference(.falsePositiveRate))
    case .equalizedOddsRatio:
      return Disparity.pythonMin(ratio(.truePositiveRate), ratio(.falsePositiveRate))
    case .equalizedOddsRatioMean:
      return Disparity.meanSkippingNaN(ratio(.truePositiveRate), ratio(.falsePositiveRate))
    case .equalOpportunityDifference: return difference(.truePositiveRate)
    case .equalOpportunityRatio: return ratio(.truePositiveRate)
    case .predictiveParityDifference: return difference(.precision)
    }
  }
}
