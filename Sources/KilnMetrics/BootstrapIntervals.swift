import KilnRandom
/// Confidence intervals for the overall metrics and every section's statistics, from one
/// stratified bootstrap shared by all sections (see `StratifiedBootstrap`, `ScoreBootstrap`):
/// percentile intervals, and BCa intervals for the disparities.
struct BootstrapIntervals {
  /// Interval of each count-based overall metric.
  var overall: [GroupMetric: ConfidenceInterval]
  /// Intervals of each section's statistics, aligned with the frames.
  var sections: [SectionStatistics<ConfidenceInterval>]
  /// Intervals of the overall score metrics (empty without scores).
  var scoreOverall: [GroupMetric: ConfidenceInterval] = [:]
  /// Intervals of each section's score metrics, metrics in `GroupMetric.scoreBased` order.
  var scoreSections: [SectionStatistics<ConfidenceInterval>] = []

  init(labels: [Int], predictions: [Int], ranking: ScoreRanking?, calibrationBins: Int,
       singles: [Grouping], frames: [MetricFrame], configuration: BootstrapConfiguration, generator: inout SeededGenerator) {
    let (cellCodes, cellCount) = Self.finestCells(singles, rowCount: labels.count)
    let strata = StratifiedBootstrap(labels: labels, predictions: predictions, cellCodes: cellCodes, cellCount: cellCount)
    let cellToGroup = Self.cellToGroupMaps(frames, cellCodes: cellCodes, cellCount: cellCount)
    let included = frames.map(\.included)
    let resamples = configuration.resamples, level = configuration.confidenceLevel
    let overallMetrics = SectionStatistics<Double>.metrics
    let templates = frames.map {
      SectionStatistics(groupCounts: $0.groupCounts, included: $0.included, overall: $0.overallCounts)
    }
    var overallSamples = SampleMatrix(statistics: overallMetrics.count, resamples: resamples)
    var sectionSamples = templates.map { SampleMatrix(statistics: $0.flattened.count, resamples: resamples) }
    var cells = [ConfusionCounts](repeating: ConfusionCounts(), count: cellCount)
    for resample in 0..<resamples {
      strata.resample(into: &cells, generator: &generator)
      let overall = cells.reduce(ConfusionCounts(), +)
      overallSamples.record(overallMetrics.map { $0.value(from: overall) }, resample: resample)
      for section in frames.indices {
        var groupCounts = [ConfusionCounts](repeating: ConfusionCounts(), count: frames[section].grouping.groupCount)
        for cell in 0..<cellCount { groupCounts[cellToGroup[section][cell]] += cells[cell] }
        let values = SectionStatistics(groupCounts: groupCounts, included: included[section], overall: overall)
        sectionSamples[section].record(values.flattened, resample: resample)
      }
    }
    let overallIntervals = overallSamples.intervals(level: level)
    overall = Dictionary(uniqueKeysWithValues: zip(overallMetrics, overallIntervals).map { ($0, $1) })
    let jackknife = Self.jackknife(cells: strata.originalCellCounts, frames: frames, cellToGroup: cellToGroup)
    sections = frames.indices.map { section in
      // Disparities (differences, ratios, measures) get BCa intervals; per-group values keep percentiles.
      var intervals = sectionSamples[section].intervals(level: level)
      let estimates = templates[section].flattened
      let firstDisparity = templates[section].byGroup.reduce(0) { $0 + $1.count }
      for statistic in firstDisparity..<intervals.count {
        let values = jackknife[section].map { (value: $0.values[statistic], weight: $0.weight) }
        if let bca = StratifiedBootstrap.bcaInterval(sectionSamples[section].samples(of: statistic), estimate: estimates[statistic],
                                                     jackknife: values, level: level) {
          intervals[statistic] = bca
        } else if estimates[statistic].isFinite {
          intervals[statistic].method = .percentileBCaUndefined
        }
      }
      return SectionStatistics(unflattening: intervals, shapedAs: templates[section])
    }
    if let ranking {
      var scoreGenerator = SeededGenerator(seededFrom: &generator)
      scoreIntervals(ranking: ranking, bins: calibrationBins, cellCodes: cellCodes, cellCount: cellCount,
                     cellToGroup: cellToGroup, frames: frames, configuration: configuration, generator: &scoreGenerator)
    }
  }

  /// Fills `scoreOverall` and `scoreSections` from row-level resamples (see `ScoreBootstrap`):
  /// all groupings plus the overall value (as a grouping of one group) in one pass per resample.
  mutating func scoreIntervals(ranking: ScoreRanking, bins: Int, cellCodes: [Int32], cellCount: Int, cellToGroup: [[Int]],
                               frames: [MetricFrame], configuration: BootstrapConfiguration, generator: inout SeededGenerator) {
    let resampler = ScoreBootstrap.resampler(ranking: ranking, cellCodes: cellCodes, cellCount: cellCount)
    let resamples = configuration.resamples, level = configuration.confidenceLevel
    let metrics = GroupMetric.scoreBased
    let sortedCells = ranking.sorted(cellCodes)
    let groups = ScoreBootstrap.FusedGroups(cellToGroup: cellToGroup + [[Int](repeating: 0, count: cellCount)],
                                            groupCounts: frames.map(\.grouping.groupCount) + [1], cellCount: cellCount)
    let cellBins = ScoreBootstrap.cellBins(ranking, sortedCells: sortedCells, bins: bins)
    /// Per-section statistics and overall values under `weights`.
    func statistics(_ weights: [Int32]) -> (sections: [SectionStatistics<Double>], overall: [Double]) {
      let auc = ScoreBootstrap.fusedRocAUC(ranking, sortedCells: sortedCells, groups: groups, weights: weights)
      let calibration = ScoreBootstrap.fusedCalibrationError(ranking, cellBins: cellBins, bins: bins, groups: groups, weights: weights)
      let overall = [auc[groups.offsets[frames.count]], calibration[groups.offsets[frames.count]]]
      let sections = frames.enumerated().map { section, frame in
        let range = groups.offsets[section]..<groups.offsets[section] + frame.grouping.groupCount
        return ScoreBootstrap.statistics(groupValues: [Array(auc[range]), Array(calibration[range])], overall: overall,
                                         included: frame.included)
      }
      return (sections, overall)
    }
    let templates = statistics([Int32](repeating: 1, count: ranking.labels.count)).sections
    var overallSamples = SampleMatrix(statistics: metrics.count, resamples: resamples)
    var sectionSamples = templates.map { SampleMatrix(statistics: $0.flattened.count, resamples: resamples) }
    var weights = [Int32](repeating: 0, count: ranking.labels.count)
    for resample in 0..<resamples {
      resampler.drawWeights(into: &weights, generator: &generator)
      let values = statistics(weights)
      overallSamples.record(values.overall, resample: resample)
      for section in frames.indices { sectionSamples[section].record(values.sections[section].flattened, resample: resample) }
    }
    scoreOverall = Dictionary(uniqueKeysWithValues: zip(metrics, overallSamples.intervals(level: level)).map { ($0, $1) })
    scoreSections = frames.indices.map {
      SectionStatistics(unflattening: sectionSamples[$0].intervals(level: level), shapedAs: templates[$0])
    }
  }

  /// The intervals of section `index` by metric name (count-based and score-based metrics, and the measures).
  func frameIntervals(_ index: Int) -> FrameIntervals {
    var result = FrameIntervals()
    for (metric, interval) in overall.merging(scoreOverall, uniquingKeysWith: { first, _ in first }) { result.overall[metric.rawValue] = interval }
    let tables = [(SectionStatistics<Double>.metrics, sections[index])] + (scoreSections.isEmpty ? [] : [(GroupMetric.scoreBased, scoreSections[index])])
    for (metrics, table) in tables {
      for (position, metric) in metrics.enumerated() {
        result.byGroup[metric.rawValue] = table.byGroup[position]
        result.difference[metric.rawValue] = table.difference[position]
        result.ratio[metric.rawValue] = table.ratio[position]
      }
    }
    result.measures = sections[index].measures
    return result
  }

  /// Leave-one-out values of every section's statistics, for BCa's acceleration. Leaving a row
  /// out takes one outcome (TP, FP, TN or FN) from its cell, so the rows of one cell and outcome
  /// share a value: one entry per (cell, outcome) present, weighted by its rows.
  static func jackknife(cells: [ConfusionCounts], frames: [MetricFrame], cellToGroup: [[Int]]) -> [[(values: [Double], weight: Int)]] {
    let outcomes: [WritableKeyPath<ConfusionCounts, Int>] = [\.truePositives, \.falsePositives, \.trueNegatives, \.falseNegatives]
    let total = cells.reduce(ConfusionCounts(), +)
    var result = frames.map { _ in [(values: [Double], weight: Int)]() }
    for cell in cells.indices {
      for outcome in outcomes where cells[cell][keyPath: outcome] > 0 {
        var overall = total
        overall[keyPath: outcome] -= 1
        for (section, frame) in frames.enumerated() {
          var groupCounts = [ConfusionCounts](repeating: ConfusionCounts(), count: frame.grouping.groupCount)
          for other in cells.indices { groupCounts[cellToGroup[section][other]] += cells[other] }
          groupCounts[cellToGroup[section][cell]][keyPath: outcome] -= 1
          let values = SectionStatistics(groupCounts: groupCounts, included: frame.included, overall: overall)
          result[section].append((values.flattened, cells[cell][keyPath: outcome]))
        }
      }
    }
    return result
  }

  /// For each frame, the group of each finest cell.
  static func cellToGroupMaps(_ frames: [MetricFrame], cellCodes: [Int32], cellCount: Int) -> [[Int]] {
    frames.map { frame in
      var map = [Int](repeating: 0, count: cellCount)
      for row in cellCodes.indices { map[Int(cellCodes[row])] = Int(frame.grouping.codes[row]) }
      return map
    }
  }

  /// Dense codes of the intersection of every attribute (only the cells that occur).
  static func finestCells(_ singles: [Grouping], rowCount: Int) -> (codes: [Int32], count: Int) {
    var keys = [Int](repeating: 0, count: rowCount)
    for single in singles {
      let width = single.groupCount
      for row in 0..<rowCount { keys[row] = keys[row] &* width &+ Int(single.codes[row]) }
    }
    var dense: [Int: Int32] = [:]
    var codes = [Int32](repeating: 0, count: rowCount)
    for row in 0..<rowCount {
      if let code = dense[keys[row]] {
        codes[row] = code
      } else {
        let code = Int32(dense.count)
        dense[keys[row]] = code
        codes[row] = code
      }
    }
    return (codes, dense.count)
  }
}

/// Bootstrap values, statistic by statistic, and their percentile intervals.
struct SampleMatrix {
  let resamples: Int
  /// `values[statistic · resamples + resample]`.
  var values: [Double]

  init(statistics: Int, resamples: Int) {
    self.resamples = resamples
    values = [Double](repeating: .nan, count: statistics * resamples)
  }

  /// Stores one resample's value of every statistic.
  mutating func record(_ statistics: [Double], resample: Int) {
    for (statistic, value) in statistics.enumerated() { values[statistic * resamples + resample] = value }
  }

  /// Every resample's value of one statistic.
  func samples(of statistic: Int) -> [Double] {
    Array(values[statistic * resamples..<(statistic + 1) * resamples])
  }

  /// The percentile interval of each statistic.
  func intervals(level: Double) -> [ConfidenceInterval] {
    stride(from: 0, to: values.count, by: resamples).map {
      StratifiedBootstrap.percentileInterval(Array(values[$0..<$0 + resamples]), level: level)
    }
  }
}
