/// Metrics disaggregated by group, in the spirit of fairlearn's `MetricFrame`
/// (Weerts et al. 2023, "Fairlearn: Assessing and Improving Fairness of AI Systems", JMLR 24).
///
/// Holds, for one grouping, every metric over all rows and in each group; group min/max,
/// differences, ratios and the named fairness measures are derived from those. The metrics are
/// `Metric`s — functions of the rows' labels, predictions and weights, for any label kind — or,
/// for binary predictions, the confusion-count metrics (`GroupMetric`): the fast path, which keeps
/// the confusion counts of every group (so a bootstrap resample only needs new counts) and adds
/// ROC AUC and expected calibration error when scores are given.
///
/// Groups smaller than `minimumGroupSize` (and empty intersection cells) keep their values in
/// `byGroup` but are left out of `groupMin`, `groupMax`, `difference`, `ratio` and the measures.
public struct MetricFrame: Sendable {
  /// The grouping the frame disaggregates by.
  public let grouping: Grouping
  /// Groups below this size are reported as insufficient data and left out of disparities.
  public let minimumGroupSize: Int
  /// The metrics' names, in report order.
  public let metricNames: [String]
  /// Rows in each group.
  public let groupSizes: [Int]
  /// `[metric][group]`.
  let values: [[Double]]
  let overallValues: [Double]
  let reasons: [[UndefinedReason?]]
  let overallReasons: [UndefinedReason?]
  /// Confusion counts per group (the binary fast path; empty for a frame of `Metric`s).
  public let groupCounts: [ConfusionCounts]
  /// Confusion counts over all rows (the binary fast path).
  public let overallCounts: ConfusionCounts
  /// The rows and metrics of a frame of `Metric`s (nil on the binary fast path).
  let rows: MetricRows?

  /// A frame of metric functions, for any label kind.
  /// - Parameters:
  ///   - metrics: the metrics, each a function of (labels, predictions, weights).
  ///   - labels: true labels (class codes, or targets).
  ///   - predictions: predictions (class codes, or values).
  ///   - grouping: the group of each row.
  ///   - minimumGroupSize: smallest group size taken into disparities (default 1).
  public init(metrics: [Metric], labels: [Double], predictions: [Double], grouping: Grouping, minimumGroupSize: Int = 1) {
    precondition(predictions.count == labels.count && grouping.codes.count == labels.count,
                 "MetricFrame: \(labels.count) labels, \(predictions.count) predictions and \(grouping.codes.count) group codes must match")
    precondition(minimumGroupSize >= 0, "MetricFrame: minimumGroupSize is \(minimumGroupSize); it must be at least 0")
    let rows = MetricRows(metrics: metrics, labels: labels, predictions: predictions)
    self.grouping = grouping
    self.minimumGroupSize = minimumGroupSize
    self.rows = rows
    metricNames = metrics.map(\.name)
    groupSizes = grouping.groupSizes()
    values = rows.values(codes: grouping.codes, groupCount: grouping.groupCount, weights: nil)
    overallValues = rows.values(codes: nil, groupCount: 1, weights: nil).map { $0[0] }
    reasons = rows.undefinedReasons(codes: grouping.codes, groupCount: grouping.groupCount)
    overallReasons = rows.undefinedReasons(codes: nil, groupCount: 1).map { $0[0] }
    groupCounts = []
    overallCounts = ConfusionCounts()
  }

  /// The binary fast path: the confusion-count metrics of `GroupMetric`.
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

  /// As the public binary initialiser, reusing the rows' score ranking across groupings.
  init(labels: [Int], predictions: [Int], scores: [Double]?, grouping: Grouping,
       minimumGroupSize: Int, calibrationBins: Int, ranking: ScoreRanking?) {
    let rowCount = labels.count
    precondition(predictions.count == rowCount && grouping.codes.count == rowCount,
                 "MetricFrame: \(rowCount) labels, \(predictions.count) predictions and \(grouping.codes.count) group codes must match")
    precondition(scores == nil || scores!.count == rowCount, "MetricFrame: \(rowCount) labels but \(scores?.count ?? 0) scores")
    precondition(minimumGroupSize >= 0, "MetricFrame: minimumGroupSize is \(minimumGroupSize); it must be at least 0")
    self.grouping = grouping
    self.minimumGroupSize = minimumGroupSize
    rows = nil
    let counts = MetricFrame.countCells(labels: labels, predictions: predictions, codes: grouping.codes, groupCount: grouping.groupCount)
    let overall = counts.reduce(ConfusionCounts(), +)
    groupCounts = counts
    overallCounts = overall
    groupSizes = counts.map(\.count)
    let metrics = scores == nil ? GroupMetric.countBased : GroupMetric.allCases
    metricNames = metrics.map(\.rawValue)
    var values = metrics.map { metric in counts.map { $0.count == 0 ? Double.nan : metric.value(from: $0) } }
    var overallValues = metrics.map { $0.value(from: overall) }
    if let ranking {
      let sortedCodes = ranking.sorted(grouping.codes)
      for (position, metric) in metrics.enumerated() where !metric.isCountBased {
        let compute: (_ codes: [Int32]?, _ groupCount: Int) -> [Double] = metric == .rocAUC
          ? { ranking.rocAUC(sortedCodes: $0, groupCount: $1) }
          : { ranking.expectedCalibrationError(sortedCodes: $0, groupCount: $1, bins: calibrationBins) }
        values[position] = compute(sortedCodes, grouping.groupCount)
        overallValues[position] = compute(nil, 1)[0]
      }
    }
    self.values = values
    self.overallValues = overallValues
    reasons = metrics.map { metric in counts.map { metric.undefinedReason(for: $0) } }
    overallReasons = metrics.map { $0.undefinedReason(for: overall) }
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

  /// Whether the frame is the binary fast path (confusion counts, and the named fairness measures).
  public var isConfusionFrame: Bool { rows == nil }

  /// Whether the binary frame was given scores (and so holds ROC AUC and calibration error).
  public var hasScores: Bool { metricNames.contains(GroupMetric.rocAUC.rawValue) }

  /// Whether each group takes part in disparities (non-empty and at least `minimumGroupSize`).
  public var included: [Bool] { groupSizes.map { $0 > 0 && $0 >= minimumGroupSize } }

  /// How a group is reported.
  public func status(ofGroup group: Int) -> GroupStatus {
    let size = groupSizes[group]
    if size == 0 { return .empty }
    return size < minimumGroupSize ? .insufficientData : .reported
  }

  func position(_ metric: String) -> Int? { metricNames.firstIndex(of: metric) }

  /// The metric over all rows (NaN for a metric the frame does not hold).
  public func overall(_ metric: String) -> Double { position(metric).map { overallValues[$0] } ?? .nan }

  /// The metric in each group (NaN for every metric of an empty group, as fairlearn).
  public func byGroup(_ metric: String) -> [Double] {
    position(metric).map { values[$0] } ?? [Double](repeating: .nan, count: grouping.groupCount)
  }

  /// Why a group's value is not a real measurement, or nil.
  public func undefinedReason(_ metric: String, group: Int) -> UndefinedReason? { position(metric).flatMap { reasons[$0][group] } }

  /// Why the overall value is not a real measurement, or nil.
  public func overallUndefinedReason(_ metric: String) -> UndefinedReason? { position(metric).flatMap { overallReasons[$0] } }

  /// The smallest value over included groups (NaN groups skipped).
  public func groupMin(_ metric: String) -> Double { Disparity.groupMin(byGroup(metric), included: included) }

  /// The largest value over included groups (NaN groups skipped).
  public func groupMax(_ metric: String) -> Double { Disparity.groupMax(byGroup(metric), included: included) }

  /// The difference by `method` (see `Disparity`).
  public func difference(_ metric: String, method: DisparityMethod = .betweenGroups) -> Double {
    Disparity.difference(byGroup(metric), included: included, overall: overall(metric), method: method)
  }

  /// The ratio by `method` (see `Disparity`).
  public func ratio(_ metric: String, method: DisparityMethod = .betweenGroups) -> Double {
    Disparity.ratio(byGroup(metric), included: included, overall: overall(metric), method: method)
  }

  public func overall(_ metric: GroupMetric) -> Double { overall(metric.rawValue) }
  public func byGroup(_ metric: GroupMetric) -> [Double] { byGroup(metric.rawValue) }
  public func undefinedReason(_ metric: GroupMetric, group: Int) -> UndefinedReason? { undefinedReason(metric.rawValue, group: group) }
  public func overallUndefinedReason(_ metric: GroupMetric) -> UndefinedReason? { overallUndefinedReason(metric.rawValue) }
  public func groupMin(_ metric: GroupMetric) -> Double { groupMin(metric.rawValue) }
  public func groupMax(_ metric: GroupMetric) -> Double { groupMax(metric.rawValue) }
  public func difference(_ metric: GroupMetric, method: DisparityMethod = .betweenGroups) -> Double { difference(metric.rawValue, method: method) }
  public func ratio(_ metric: GroupMetric, method: DisparityMethod = .betweenGroups) -> Double { ratio(metric.rawValue, method: method) }

  /// A named fairness measure by `method` (binary frames; NaN for a frame without its basis).
  public func measure(_ measure: FairnessMeasure, method: DisparityMethod = .betweenGroups) -> Double {
    measure.value(difference: { difference($0, method: method) }, ratio: { ratio($0, method: method) })
  }

  /// The included groups whose value of one of `metrics` is undefined, as "group: reason" lines.
  public func undefinedInputs(of metrics: [String]) -> [String] {
    let included = self.included
    var lines: [String] = []
    for group in 0..<grouping.groupCount where included[group] {
      for metric in metrics {
        if let reason = undefinedReason(metric, group: group) {
          lines.append("\(grouping.groupName(group)).\(metric): \(reason.rawValue)")
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
