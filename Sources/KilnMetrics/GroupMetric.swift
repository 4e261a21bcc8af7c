/// A metric computed per group and overall by a `MetricFrame`; raw values are the names used in
/// reports and by gates (`fairness.sex.groups.Female.selection_rate`) and match fairlearn's.
public enum GroupMetric: String, CaseIterable, Codable, Sendable, Hashable {
  case count
  case positives
  case accuracy
  case selectionRate = "selection_rate"
  case truePositiveRate = "true_positive_rate"
  case falsePositiveRate = "false_positive_rate"
  case falseNegativeRate = "false_negative_rate"
  case trueNegativeRate = "true_negative_rate"
  case precision
  case rocAUC = "roc_auc"
  case calibrationError = "calibration_error"

  /// The metrics that depend only on the confusion counts (and so can be bootstrapped from them).
  public static let countBased: [GroupMetric] = [
    .count, .positives, .accuracy, .selectionRate, .truePositiveRate, .falsePositiveRate,
    .falseNegativeRate, .trueNegativeRate, .precision,
  ]

  /// The metrics that need scores.
  public static let scoreBased: [GroupMetric] = [.rocAUC, .calibrationError]

  /// Whether the metric is computed from confusion counts alone.
  public var isCountBased: Bool { self != .rocAUC && self != .calibrationError }

  /// The value from confusion counts, with fairlearn's zero-denominator conventions
  /// (NaN for score-based metrics, which need `MetricFrame`).
  public func value(from counts: ConfusionCounts) -> Double {
    switch self {
    case .count: return Double(counts.count)
    case .positives: return Double(counts.positives)
    case .accuracy: return counts.accuracy
    case .selectionRate: return counts.selectionRate
    case .truePositiveRate: return counts.truePositiveRate
    case .falsePositiveRate: return counts.falsePositiveRate
    case .falseNegativeRate: return counts.falseNegativeRate
    case .trueNegativeRate: return counts.trueNegativeRate
    case .precision: return counts.precision
    case .rocAUC, .calibrationError: return .nan
    }
  }

  /// Why the value from `counts` is not a real measurement, or nil when it is one.
  public func undefinedReason(for counts: ConfusionCounts) -> UndefinedReason? {
    if counts.count == 0 { return self == .count || self == .positives ? nil : .emptyGroup }
    switch self {
    case .count, .positives, .accuracy, .selectionRate: return nil
    case .truePositiveRate, .falseNegativeRate: return counts.positives == 0 ? .noPositiveLabels : nil
    case .falsePositiveRate, .trueNegativeRate: return counts.negatives == 0 ? .noNegativeLabels : nil
    case .precision: return counts.predictedPositives == 0 ? .noPredictedPositives : nil
    case .rocAUC: return counts.positives == 0 || counts.negatives == 0 ? .singleClassPresent : nil
    case .calibrationError: return nil
    }
  }
}

/// Why a reported number is not a real measurement. The number itself is still reported (as
/// fairlearn computes it) so values stay comparable; gates treat an undefined value as failing.
public enum UndefinedReason: String, Codable, Sendable, Hashable {
  /// The group has no rows.
  case emptyGroup = "empty_group"
  /// Rate over label-1 rows (TPR, FNR) in a group with none; fairlearn reports 0.0.
  case noPositiveLabels = "no_positive_labels"
  /// Rate over label-0 rows (FPR, TNR) in a group with none; fairlearn reports 0.0.
  case noNegativeLabels = "no_negative_labels"
  /// Precision in a group with no predicted positives; scikit-learn reports 0.0.
  case noPredictedPositives = "no_predicted_positives"
  /// ROC AUC with only one class present; scikit-learn reports NaN.
  case singleClassPresent = "single_class_present"
  /// A ratio of zero to zero (NaN), or a statistic over no defined values.
  case zeroDenominator = "zero_denominator"
  /// A disparity computed from at least one group value that is itself undefined.
  case restsOnUndefinedGroupValue = "rests_on_undefined_group_value"
  /// The group is smaller than the configured minimum group size.
  case insufficientData = "insufficient_data"
  /// R² or explained variance of constant targets (0/0); scikit-learn reports 1 or 0 by convention.
  case constantTargets = "constant_targets"
  /// A statistic that needs more rows than there are (R² of one row; scikit-learn reports NaN).
  case tooFewRows = "too_few_rows"

  /// A sentence for people.
  public var explanation: String {
    switch self {
    case .emptyGroup: return "the group has no rows"
    case .noPositiveLabels: return "no rows with label 1 (0/0, reported as 0 by convention)"
    case .noNegativeLabels: return "no rows with label 0 (0/0, reported as 0 by convention)"
    case .noPredictedPositives: return "no rows predicted 1 (0/0, reported as 0 by convention)"
    case .singleClassPresent: return "only one label class is present"
    case .zeroDenominator: return "zero denominator (0/0)"
    case .restsOnUndefinedGroupValue: return "computed from a group value that is undefined"
    case .insufficientData: return "fewer rows than the minimum group size"
    case .constantTargets: return "every target is the same (0/0, reported by scikit-learn's convention)"
    case .tooFewRows: return "too few rows for this statistic"
    }
  }
}
