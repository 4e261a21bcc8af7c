/// Confidence intervals for the overall metrics and every section's statistics, from one
/// stratified bootstrap shared by all sections (see `StratifiedBootstrap`).
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
       singles: [Grouping], frames: [MetricFrame], configuration: BootstrapConfiguration, generator: inout Xoshiro256StarStar) {
    let (cellCodes, cellCount) = Self.finestCells(singles, rowCount: labels.count)
    let strata = StratifiedBootstrap(labels: labels, predictions: predictions, cellCodes: cellCodes, cellCount: cellCount)
    let cellToGroup = frames.map { frame -> [Int] in
      var map = [Int](repeating: 0, count: cellCount)
      for row in cellCodes.indices { map[Int(cellCodes[row])] = Int(frame.grouping.codes[row]) }
      return map
    }
    let included = frames.map(\.included)
    let resamples = configuration.resamples
    let overallMetrics = SectionStatistics<Double>.metrics
    var overallSamples = [[Double]](repeating: [Double](repeating: .nan, count: resamples), count: overallMetrics.count)
    var sectionSamples: [[Double]] = []
    var statisticCounts: [Int] = []
    for frame in frames {
      let template = SectionStatistics(groupCounts: frame.groupCounts, included: frame.included, overall: frame.overallCounts)
      statisticCounts.append(template.flattened.count)
      sectionSamples.append([Double](repeating: .nan, count: template.flattened.count * resamples))
    }
    var cells = [ConfusionCounts](repeating: ConfusionCounts(), count: cellCount)
    for resample in 0..<resamples {
      strata.resample(into: &cells, generator: &generator)
      let overall = cells.reduce(ConfusionCounts(), +)
      for (index, metric) in overallMetrics.enumerated() { overallSamples[index][resample] = metric.value(from: overall) }
      for section in frames.indices {
        var groupCounts = [ConfusionCounts](repeating: ConfusionCounts(), count: frames[section].grouping.groupCount)
        for cell in 0..<cellCount { groupCounts[cellToGroup[section][cell]] += cells[cell] }
        let values = SectionStatistics(groupCounts: groupCounts, included: included[section], overall: overall).flattened
        for (statistic, value) in values.enumerated() { sectionSamples[section][statistic * resamples + resample] = value }
      }
    }
    let level = configuration.confidenceLevel
    overall = Dictionary(uniqueKeysWithValues: overallMetrics.indices.map {
      (overallMetrics[$0], StratifiedBootstrap.percentileInterval(overallSamples[$0], level: level))
    })
    sections = frames.indices.map { section in
      let intervals = (0..<statisticCounts[section]).map { statistic in
        StratifiedBootstrap.percentileInterval(Array(sectionSamples[section][statistic * resamples..<(statistic + 1) * resamples]), level: level)
      }
      let template = SectionStatistics(groupCounts: frames[section].groupCounts, included: included[section], overall: frames[section].overallCounts)
      return SectionStatistics(unflattening: intervals, shapedAs: template)
    }
    if let ranking {
      var scoreGenerator = Xoshiro256StarStar(seededFrom: &generator)
      scoreIntervals(ranking: ranking, bins: calibrationBins, cellCodes: cellCodes,
                     cellCount: cellCount, frames: frames, configuration: configuration, generator: &scoreGenerator)
    }
  }

  /// Fills `scoreOverall` and `scoreSections` from row-level resamples (see `ScoreBootstrap`).
  mutating func scoreIntervals(ranking: ScoreRanking, bins: Int, cellCodes: [Int32], cellCount: Int,
                               frames: [MetricFrame], configuration: BootstrapConfiguration, generator: inout Xoshiro256StarStar) {
    let resampler = ScoreBootstrap(ranking: ranking, cellCodes: cellCodes, cellCount: cellCount)
    let resamples = configuration.resamples, level = configuration.confidenceLevel
    let metrics = GroupMetric.scoreBased
    let sortedCodes = frames.map { ranking.sorted($0.grouping.codes) }
    var overallSamples = [[Double]](repeating: [Double](repeating: .nan, count: resamples), count: metrics.count)
    var templates: [SectionStatistics<Double>] = []
    var sectionSamples: [[Double]] = []
    let overallValues = ScoreBootstrap.values(ranking, sortedCodes: nil, groupCount: 1, bins: bins, weights: nil).map { $0[0] }
    for (section, frame) in frames.enumerated() {
      let values = ScoreBootstrap.values(ranking, sortedCodes: sortedCodes[section], groupCount: frame.grouping.groupCount,
                                         bins: bins, weights: nil)
      let template = ScoreBootstrap.statistics(groupValues: values, overall: overallValues, included: frame.included)
      templates.append(template)
      sectionSamples.append([Double](repeating: .nan, count: template.flattened.count * resamples))
    }
    // All groupings plus the overall value (one group) in one numbering, one pass per resample.
    let sortedCells = ranking.sorted(cellCodes)
    var cellToGroup = frames.map { frame -> [Int] in
      var map = [Int](repeating: 0, count: cellCount)
      for row in cellCodes.indices { map[Int(cellCodes[row])] = Int(frame.grouping.codes[row]) }
      return map
    }
    cellToGroup.append([Int](repeating: 0, count: cellCount))
    let groups = ScoreBootstrap.FusedGroups(cellToGroup: cellToGroup, groupCounts: frames.map(\.grouping.groupCount) + [1],
                                            cellCount: cellCount)
    let cellBins = ScoreBootstrap.cellBins(ranking, sortedCells: sortedCells, bins: bins)
    var weights = [Int32](repeating: 0, count: ranking.labels.count)
    for resample in 0..<resamples {
      resampler.drawWeights(into: &weights, generator: &generator)
      let auc = ScoreBootstrap.fusedRocAUC(ranking, sortedCells: sortedCells, groups: groups, weights: weights)
      let calibration = ScoreBootstrap.fusedCalibrationError(ranking, cellBins: cellBins, bins: bins, groups: groups, weights: weights)
      let overallOffset = groups.offsets[frames.count]
      let overall = [auc[overallOffset], calibration[overallOffset]]
      for index in metrics.indices { overallSamples[index][resample] = overall[index] }
      for (section, frame) in frames.enumerated() {
        let range = groups.offsets[section]..<groups.offsets[section] + frame.grouping.groupCount
        let values = [Array(auc[range]), Array(calibration[range])]
        let flat = ScoreBootstrap.statistics(groupValues: values, overall: overall, included: frame.included).flattened
        for (statistic, value) in flat.enumerated() { sectionSamples[section][statistic * resamples + resample] = value }
      }
    }
    scoreOverall = Dictionary(uniqueKeysWithValues: metrics.indices.map {
      (metrics[$0], StratifiedBootstrap.percentileInterval(overallSamples[$0], level: level))
    })
    scoreSections = frames.indices.map { section in
      let count = templates[section].flattened.count
      let intervals = (0..<count).map { statistic in
        StratifiedBootstrap.percentileInterval(Array(sectionSamples[section][statistic * resamples..<(statistic + 1) * resamples]), level: level)
      }
      return SectionStatistics(unflattening: intervals, shapedAs: templates[section])
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
