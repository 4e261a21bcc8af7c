import KilnRandom
/// Builds `GroupedMetricsReport`s: fairness by group for multi-class and regression models.
///
/// Intervals come from a seeded percentile bootstrap over rows (`RowResampler`) stratified by
/// the finest cell of all sensitive attributes — crossed with the true class for multi-class
/// models — so every group, and for multi-class every group's class mix, keeps its size in each
/// resample (as the binary audit keeps each group's labels); every per-group value, difference
/// and ratio is recomputed from the same resample. Per-group values get percentile intervals,
/// disparities BCa intervals with the acceleration from an exact jackknife (`jackknife`).
public enum GroupedMetricsAudit {
  /// Multi-class metrics by group: `accuracy`, `balanced_accuracy`, `macro_f1`.
  /// - Parameters:
  ///   - labels: true class codes in `0..<classCount`.
  ///   - predicted: predicted class codes in `0..<classCount`.
  ///   - attributes: sensitive attributes, one value per row.
  ///   - configuration: intersections, minimum group size and bootstrap (`calibrationBins` unused).
  /// - Throws: `FairnessConfigurationError` when no attribute is given or an intersection is invalid.
  public static func multiclass<Generator: RandomNumberGenerator>(
    labels: [Int], predicted: [Int], classCount: Int, attributes: [SensitiveAttribute],
    configuration: FairnessAudit.Configuration = FairnessAudit.Configuration(), using generator: inout Generator
  ) throws -> GroupedMetricsReport {
    _ = MulticlassMetrics.matrix(labels, predicted, classCount, "GroupedMetricsAudit.multiclass")
    let source = GroupedMetricSource.multiclass(labels: labels, predicted: predicted, classCount: classCount)
    return try report(source, rowCount: labels.count, classes: labels, classCount: classCount, attributes: attributes,
                      configuration: configuration, generator: &generator)
  }

  /// Regression metrics by group: `mae`, `rmse`, `mse`, `r2`, `mean_prediction` (the mean
  /// prediction per group is the demographic-parity analogue for a regressor).
  /// - Throws: `FairnessConfigurationError` when no attribute is given or an intersection is invalid.
  public static func regression<Generator: RandomNumberGenerator>(
    targets: [Double], predictions: [Double], attributes: [SensitiveAttribute],
    configuration: FairnessAudit.Configuration = FairnessAudit.Configuration(), using generator: inout Generator
  ) throws -> GroupedMetricsReport {
    RegressionMetrics.check(targets, predictions, "GroupedMetricsAudit.regression")
    let source = GroupedMetricSource.regression(targets: targets, predictions: predictions)
    return try report(source, rowCount: targets.count, classes: nil, classCount: 1, attributes: attributes,
                      configuration: configuration, generator: &generator)
  }

  static func report<Generator: RandomNumberGenerator>(
    _ source: GroupedMetricSource, rowCount: Int, classes: [Int]?, classCount: Int, attributes: [SensitiveAttribute],
    configuration: FairnessAudit.Configuration, generator: inout Generator
  ) throws -> GroupedMetricsReport {
    precondition(attributes.allSatisfy { $0.values.count == rowCount },
                 "GroupedMetricsAudit: attribute lengths \(attributes.map { $0.values.count }) differ from \(rowCount) rows")
    precondition(configuration.minimumGroupSize >= 0,
                 "GroupedMetricsAudit: minimumGroupSize is \(configuration.minimumGroupSize); it must be at least 0")
    let singles = attributes.map(Grouping.init)
    let groupings = singles + (try FairnessAudit.intersections(configuration.intersections, of: singles))
    let frames = groupings.map { GroupedFrame(source: source, grouping: $0, minimumGroupSize: configuration.minimumGroupSize) }
    var intervals: [[ConfidenceInterval]]?
    var overallIntervals: [ConfidenceInterval]?
    if let bootstrap = configuration.bootstrap {
      var resampler = SeededGenerator(seededFrom: &generator)
      let rows = RowResampler(singles: singles, classes: classes, classCount: classCount, rowCount: rowCount)
      let metricCount = source.metricNames.count
      let sizes = frames.map { $0.flattened(weights: nil).count }
      let samples = rows.samples(statisticCount: metricCount + sizes.reduce(0, +), configuration: bootstrap, generator: &resampler) { weights in
        source.values(codes: nil, groupCount: 1, weights: weights).map { $0[0] } + frames.flatMap { $0.flattened(weights: weights) }
      }
      let all = samples.intervals(level: bootstrap.confidenceLevel)
      overallIntervals = Array(all[0..<metricCount])
      // Disparities (differences, ratios) get BCa intervals, as the binary audit's do; per-group values keep percentiles.
      let jackknife = source.jackknife(frames: frames, cells: BootstrapIntervals.finestCells(singles, rowCount: rowCount).codes)
      var offset = metricCount
      intervals = frames.indices.map { index in
        let frame = frames[index], size = sizes[index]
        defer { offset += size }
        var frameIntervals = Array(all[offset..<offset + size])
        let estimates = frame.flattened(weights: nil)
        for statistic in frame.disparityIndices {
          let values = jackknife.map { (value: $0.frames[index][statistic], weight: $0.weight) }
          if let bca = StratifiedBootstrap.bcaInterval(samples.samples(of: offset + statistic), estimate: estimates[statistic],
                                                       jackknife: values, level: bootstrap.confidenceLevel) {
            frameIntervals[statistic] = bca
          } else if estimates[statistic].isFinite {
            frameIntervals[statistic].method = .percentileBCaUndefined
          }
        }
        return frameIntervals
      }
    }
    let sections = frames.indices.map { frames[$0].section(intervals: intervals?[$0], overallIntervals: overallIntervals) }
    return GroupedMetricsReport(kind: source.kind, metrics: source.metricNames, rowCount: rowCount,
                                minimumGroupSize: configuration.minimumGroupSize, bootstrap: configuration.bootstrap, sections: sections)
  }
}

/// The rows a grouped audit measures, and how its metrics are computed per group under weights.
enum GroupedMetricSource {
  case multiclass(labels: [Int], predicted: [Int], classCount: Int)
  case regression(targets: [Double], predictions: [Double])

  var kind: String {
    switch self {
    case .multiclass: return "multiclass"
    case .regression: return "regression"
    }
  }

  var metricNames: [String] {
    switch self {
    case .multiclass: return ["accuracy", "balanced_accuracy", "macro_f1"]
    case .regression: return ["mae", "rmse", "mse", "r2", "mean_prediction"]
    }
  }

  /// `[metric][group]` for rows grouped by `codes` (nil: one group), each counted `weights[row]` times.
  func values(codes: [Int32]?, groupCount: Int, weights: [Int32]?) -> [[Double]] {
    switch self {
    case .multiclass(let labels, let predicted, let classCount):
      var matrices = [WeightedConfusionMatrix](repeating: WeightedConfusionMatrix(classCount: classCount), count: groupCount)
      for row in labels.indices {
        let weight = weights.map { Double($0[row]) } ?? 1
        if weight != 0 { matrices[codes.map { Int($0[row]) } ?? 0].add(label: labels[row], prediction: predicted[row], weight: weight) }
      }
      return [matrices.map(\.accuracy), matrices.map(\.balancedAccuracy), matrices.map { $0.average(.f1, .macro) }]
    case .regression(let targets, let predictions):
      return Self.regressionValues(RegressionSums.byGroup(targets: targets, predictions: predictions, codes: codes,
                                                          groupCount: groupCount, weights: weights))
    }
  }

  /// `[metric][group]` of the regression metrics from each group's sums.
  static func regressionValues(_ sums: [RegressionSums]) -> [[Double]] {
    [sums.map(\.meanAbsoluteError), sums.map(\.rootMeanSquaredError), sums.map(\.meanSquaredError),
     sums.map(\.rSquared), sums.map(\.meanPrediction)]
  }

  /// Leave-one-out values of every frame's `flattened` statistics, for BCa's acceleration, each
  /// with the rows it stands for. Multi-class: rows of one finest cell, true class and prediction
  /// leave the same counts behind, so they share one entry. Regression: one entry per row, its
  /// group's and the overall sums updated without it rather than recomputed.
  func jackknife(frames: [GroupedFrame], cells: [Int32]) -> [(frames: [[Double]], weight: Int)] {
    switch self {
    case .multiclass(let labels, let predicted, let classCount):
      var entryOfKey: [Int: Int] = [:], rows: [Int] = [], counts: [Int] = []
      for row in labels.indices {
        let key = (Int(cells[row]) * classCount + labels[row]) * classCount + predicted[row]
        if let entry = entryOfKey[key] {
          counts[entry] += 1
        } else {
          entryOfKey[key] = rows.count
          rows.append(row)
          counts.append(1)
        }
      }
      var weights = [Int32](repeating: 1, count: labels.count)
      return rows.indices.map { entry in
        weights[rows[entry]] = 0
        defer { weights[rows[entry]] = 1 }
        return (frames.map { $0.flattened(weights: weights) }, counts[entry])
      }
    case .regression(let targets, let predictions):
      let overall = RegressionSums(targets: targets, predictions: predictions, weights: nil)
      let groupSums = frames.map {
        RegressionSums.byGroup(targets: targets, predictions: predictions, codes: $0.grouping.codes,
                               groupCount: $0.grouping.groupCount, weights: nil)
      }
      return targets.indices.map { row in
        let (target, prediction) = (targets[row], predictions[row])
        let overallValues = Self.regressionValues([overall.removing(target: target, prediction: prediction)]).map { $0[0] }
        let values = frames.indices.map { index -> [Double] in
          let frame = frames[index], group = Int(frame.grouping.codes[row])
          let reduced = Self.regressionValues([groupSums[index][group].removing(target: target, prediction: prediction)])
          var groupValues = frame.values
          for metric in groupValues.indices { groupValues[metric][group] = reduced[metric][0] }
          return frame.flattened(values: groupValues, overall: overallValues)
        }
        return (values, 1)
      }
    }
  }

  /// Why each metric of each group is not a real measurement (`[metric][group]`), from the data.
  func undefinedReasons(codes: [Int32]?, groupCount: Int) -> [[UndefinedReason?]] {
    switch self {
    case .multiclass:
      return metricNames.map { _ in [UndefinedReason?](repeating: nil, count: groupCount) }
    case .regression(let targets, let predictions):
      let sums = RegressionSums.byGroup(targets: targets, predictions: predictions, codes: codes, groupCount: groupCount, weights: nil)
      return metricNames.map { name in
        sums.map { sum in
          guard name == "r2" else { return nil }
          if sum.weight < 2 { return sum.weight == 0 ? nil : .tooFewRows }
          return sum.targetSpread == 0 ? .constantTargets : nil
        }
      }
    }
  }
}
