/// Metrics disaggregated by group, in the spirit of fairlearn's `MetricFrame`
/// (Weerts et al. 2023, "Fairlearn: Assessing and Improving Fairness of AI Systems", JMLR 24).
///
/// Holds, for one grouping, the confusion counts of every group and of all rows, plus the
/// score-based metrics (ROC AUC, expected calibration error) when scores are given. Everything
/// else — per-group values, group min/max, differences, ratios and the named fairness measures —
/// is derived from those, so a bootstrap resample only needs new counts.
///
/// Groups smaller than `minimumGroupSize` (and empty intersection cells) keep their values in
/// `byGroup` but are left out of `groupMin`, `groupMax`, `difference`, `ratio` and the measures.
public struct MetricFrame: Sendable {
  /// The grouping the frame disaggregates by.
  public let grouping: Grouping
  /// Confusion counts per group, aligned with `grouping.groupLabels`.
  public let groupCounts: [ConfusionCounts]
  /// Confusion counts over all rows.
  public let overallCounts: ConfusionCounts
  /// Groups below this size are reported as insufficient data and left out of disparities.
  public let minimumGroupSize: Int
  /// Whether scores were given (and so ROC AUC and calibration error exist).
  public let hasScores: Bool
  /// Per-group score-based metric values (NaN where not computable).
  let groupScoreValues: [GroupMetric: [Double]]
  /// Overall score-based metric values.
  let overallScoreValues: [GroupMetric: Double]

  /// Computes the frame.
  /// - Parameters:
  ///   - labels: true labels in {0, 1}.
  ///   - predictions: predicted labels in {0, 1}.
  ///   - scores: optional probabilities of label 1, for ROC AUC and calibration error.
  ///   - grouping: the group of each row.
  ///   - minimumGroupSize: smallest group size taken into disparities (default 1: every non-empty group).
  ///   - calibrationBins: equal-width bins for the expected calibration error.
  public init(labels: [Int], predictions: [Int], scores: [Double]? = nil, grouping: Grouping,
              minimumGroupSize: Int = 1, calibrationBins: Int = 10) {
    let ranking = scores.map { ScoreRanking(labels: labels, scores: $0) }
    self.init(labels: labels, predictions: predictions, scores: scores, grouping: grouping,
              minimumGroupSize: minimumGroupSize, calibrationBins: calibrationBins, ranking: ranking)
  }

  /// As the public initialiser, reusing the rows' score ranking across groupings.
  init(labels: [Int], predictions: [Int], scores: [Double]?, grouping: Grouping,
       minimumGroupSize: Int, calibrationBins: Int, ranking: ScoreRanking?) {
    let rowCount = labels.count
    precondition(predictions.count == rowCount && grouping.codes.count == rowCount,
                 "MetricFrame: \(rowCount) labels, \(predictions.count) predictions and \(grouping.codes.count) group codes must match")
    precondition(scores == nil || scores!.count == rowCount, "MetricFrame: \(rowCount) labels but \(scores?.count ?? 0) scores")
    precondition(minimumGroupSize >= 0, "MetricFrame: minimumGroupSize is \(minimumGroupSize); it must be at least 0")
    self.grouping = grouping
    self.minimumGroupSize = minimumGroupSize
    self.hasScores = scores != nil
    let counts = MetricFrame.countCells(labels: labels, predictions: predictions, codes: grouping.codes, groupCount: grouping.groupCount)
    groupCounts = counts
    overallCounts = counts.reduce(ConfusionCounts(), +)
    var groupScores: [GroupMetric: [Double]] = [:]
    var overallScores: [GroupMetric: Double] = [:]
    if let ranking {
      let sortedCodes = ranking.sorted(grouping.codes)
      groupScores[.rocAUC] = ranking.rocAUC(sortedCodes: sortedCodes, groupCount: grouping.groupCount)
      overallScores[.rocAUC] = ranking.rocAUC(sortedCodes: nil, groupCount: 1)[0]
      groupScores[.calibrationError] = ranking.expectedCalibrationError(sortedCodes: sortedCodes, groupCount: grouping.groupCount,
                                                                        bins: calibrationBins)
      overallScores[.calibrationError] = ranking.expectedCalibrationError(sortedCodes: nil, groupCount: 1, bins: calibrationBins)[0]
    }
    groupScoreValues = groupScores
    overallScoreValues = overallScores
  }

  /// Confusion counts per group in one pass: cell = group·4 + label·2 + prediction.
  static func countCells(labels: [Int], predictions: [Int], codes: [Int32], groupCount: Int) -> [ConfusionCounts] {
    var cells = [Int](repeating: 0, count: groupCount * 4)
    for row in labels.indices {
      let label = labels[row], prediction = predictions[row]
      precondition((label == 0 || label == 1) && (prediction == 0 || prediction == 1),
                   "MetricFrame: row \(row) has label \(label) and prediction \(prediction); both must be 0 or 1")
      cells[Int(codes[row]) &* 4 &+ label &* 2 &+ prediction] &+= 1
    }
    return (0..<groupCount).map { group in
      ConfusionCounts(truePositives: cells[group * 4 + 3], falsePositives: cells[group * 4 + 1],
                      trueNegatives: cells[group * 4], falseNegatives: cells[group * 4 + 2])
    }
  }

  /// The metrics this frame holds: all count-based ones, and the score-based ones with scores.
  public var metrics: [GroupMetric] { hasScores ? GroupMetric.allCases : GroupMetric.countBased }

  /// Whether each group takes part in disparities (non-empty and at least `minimumGroupSize`).
  public var included: [Bool] { groupCounts.map { $0.count > 0 && $0.count >= minimumGroupSize } }

  /// How a group is reported.
  public func status(ofGroup group: Int) -> GroupStatus {
    let size = groupCounts[group].count
    if size == 0 { return .empty }
    return size < minimumGroupSize ? .insufficientData : .reported
  }

  /// The metric over all rows.
  public func overall(_ metric: GroupMetric) -> Double {
    metric.isCountBased ? metric.value(from: overallCounts) : overallScoreValues[metric] ?? .nan
  }

  /// The metric in each group (NaN for every metric of an empty group, as fairlearn).
  public func byGroup(_ metric: GroupMetric) -> [Double] {
    if metric.isCountBased {
      return groupCounts.map { $0.count == 0 ? .nan : metric.value(from: $0) }
    }
    return groupScoreValues[metric] ?? [Double](repeating: .nan, count: grouping.groupCount)
  }

  /// Why a group's value is not a real measurement, or nil.
  public func undefinedReason(_ metric: GroupMetric, group: Int) -> UndefinedReason? {
    metric.undefinedReason(for: groupCounts[group])
  }

  /// Why the overall value is not a real measurement, or nil.
  public func overallUndefinedReason(_ metric: GroupMetric) -> UndefinedReason? {
    metric.undefinedReason(for: overallCounts)
  }

  /// The smallest value over included groups (NaN groups skipped).
  public func groupMin(_ metric: GroupMetric) -> Double { Disparity.groupMin(byGroup(metric), included: included) }

  /// The largest value over included groups (NaN groups skipped).
  public func groupMax(_ metric: GroupMetric) -> Double { Disparity.groupMax(byGroup(metric), included: included) }

  /// The difference by `method` (see `Disparity`).
  public func difference(_ metric: GroupMetric, method: DisparityMethod = .betweenGroups) -> Double {
    Disparity.difference(byGroup(metric), included: included, overall: overall(metric), method: method)
  }

  /// The ratio by `method` (see `Disparity`).
  public func ratio(_ metric: GroupMetric, method: DisparityMethod = .betweenGroups) -> Double {
    Disparity.ratio(byGroup(metric), included: included, overall: overall(metric), method: method)
  }

  /// A named fairness measure by `method`.
  public func measure(_ measure: FairnessMeasure, method: DisparityMethod = .betweenGroups) -> Double {
    measure.value(difference: { difference($0, method: method) }, ratio: { ratio($0, method: method) })
  }

  /// The included groups whose value of one of `metrics` is undefined, as "group: reason" lines.
  public func undefinedInputs(of metrics: [GroupMetric]) -> [String] {
    let included = self.included
    var lines: [String] = []
    for group in 0..<grouping.groupCount where included[group] {
      for metric in metrics {
        if let reason = undefinedReason(metric, group: group) {
          lines.append("\(grouping.groupName(group)).\(metric.rawValue): \(reason.rawValue)")
        }
      }
    }
    return lines
  }
}

/// How a group appears in a report.
public enum GroupStatus: String, Codable, Sendable {
  /// Large enough; its values take part in disparities.
  case reported
  /// Smaller than the minimum group size: values shown with its size, left out of disparities.
  case insufficientData = "insufficient_data"
  /// No rows (an intersection cell that never occurs).
  case empty
}
