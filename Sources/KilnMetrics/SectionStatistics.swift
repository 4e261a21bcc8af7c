/// The count-based statistics of one grouping that get confidence intervals, in a fixed shape:
/// per-group metric values, per-metric differences and ratios by both methods, and the named
/// measures by both methods. Computed identically for the data and for every bootstrap resample.
struct SectionStatistics<Value> {
  /// The metrics that get intervals (count and positives are fixed under stratified resampling).
  static var metrics: [GroupMetric] {
    [.accuracy, .selectionRate, .truePositiveRate, .falsePositiveRate, .falseNegativeRate, .trueNegativeRate, .precision]
  }

  /// [metric][group].
  var byGroup: [[Value]]
  /// [metric][method], methods in `DisparityMethod.allCases` order.
  var difference: [[Value]]
  /// [metric][method].
  var ratio: [[Value]]
  /// [measure][method], measures in `FairnessMeasure.allCases` order.
  var measures: [[Value]]

  /// All values in one array (byGroup, difference, ratio, measures; row by row).
  var flattened: [Value] { (byGroup + difference + ratio + measures).flatMap { $0 } }

  /// Rebuilds the shape of `template` from `values` laid out as `flattened`.
  init<Other>(unflattening values: [Value], shapedAs template: SectionStatistics<Other>) {
    var position = 0
    func take(_ rows: [[Other]]) -> [[Value]] {
      rows.map { row in
        defer { position += row.count }
        return Array(values[position..<position + row.count])
      }
    }
    byGroup = take(template.byGroup)
    difference = take(template.difference)
    ratio = take(template.ratio)
    measures = take(template.measures)
  }

  init(byGroup: [[Value]], difference: [[Value]], ratio: [[Value]], measures: [[Value]]) {
    self.byGroup = byGroup
    self.difference = difference
    self.ratio = ratio
    self.measures = measures
  }
}

extension SectionStatistics where Value == Double {
  /// The statistics from per-group counts (`included` as in `MetricFrame`) and the overall counts.
  init(groupCounts: [ConfusionCounts], included: [Bool], overall: ConfusionCounts) {
    let metrics = Self.metrics
    let values = metrics.map { metric in groupCounts.map { $0.count == 0 ? Double.nan : metric.value(from: $0) } }
    let overallValues = metrics.map { $0.value(from: overall) }
    let methods = DisparityMethod.allCases
    let difference = metrics.indices.map { index in
      methods.map { Disparity.difference(values[index], included: included, overall: overallValues[index], method: $0) }
    }
    let ratio = metrics.indices.map { index in
      methods.map { Disparity.ratio(values[index], included: included, overall: overallValues[index], method: $0) }
    }
    func position(_ metric: GroupMetric) -> Int { metrics.firstIndex(of: metric)! }
    let measures = FairnessMeasure.allCases.map { measure in
      methods.indices.map { method in
        measure.value(difference: { difference[position($0)][method] }, ratio: { ratio[position($0)][method] })
      }
    }
    self.init(byGroup: values, difference: difference, ratio: ratio, measures: measures)
  }
}
