/// One grouping of a grouped audit: per-group values and the disparities derived from them.
struct GroupedFrame {
  let source: GroupedMetricSource
  let grouping: Grouping
  let minimumGroupSize: Int
  let sizes: [Int]
  /// Whether each group takes part in min, max, differences and ratios.
  let included: [Bool]
  /// `[metric][group]` on the data.
  let values: [[Double]]
  let overall: [Double]
  let reasons: [[UndefinedReason?]]
  let overallReasons: [UndefinedReason?]

  init(source: GroupedMetricSource, grouping: Grouping, minimumGroupSize: Int) {
    self.source = source
    self.grouping = grouping
    self.minimumGroupSize = minimumGroupSize
    sizes = grouping.groupSizes()
    included = sizes.map { $0 > 0 && $0 >= minimumGroupSize }
    values = source.values(codes: grouping.codes, groupCount: grouping.groupCount, weights: nil)
    overall = source.values(codes: nil, groupCount: 1, weights: nil).map { $0[0] }
    reasons = source.undefinedReasons(codes: grouping.codes, groupCount: grouping.groupCount)
    overallReasons = source.undefinedReasons(codes: nil, groupCount: 1).map { $0[0] }
  }

  /// Per metric: group values, then difference and ratio by both methods — under `weights`.
  func flattened(weights: [Int32]?) -> [Double] {
    let values = weights == nil ? self.values : source.values(codes: grouping.codes, groupCount: grouping.groupCount, weights: weights)
    let overall = weights == nil ? self.overall : source.values(codes: nil, groupCount: 1, weights: weights).map { $0[0] }
    return flattened(values: values, overall: overall)
  }

  /// Per metric: the group values given, then difference and ratio by both methods.
  func flattened(values: [[Double]], overall: [Double]) -> [Double] {
    values.indices.flatMap { metric in
      values[metric] + DisparityMethod.allCases.map {
        Disparity.difference(values[metric], included: included, overall: overall[metric], method: $0)
      } + DisparityMethod.allCases.map {
        Disparity.ratio(values[metric], included: included, overall: overall[metric], method: $0)
      }
    }
  }

  /// Where the disparities (differences and ratios) sit in `flattened`.
  var disparityIndices: [Int] {
    let stride = grouping.groupCount + 4
    return values.indices.flatMap { metric in (0..<4).map { metric * stride + grouping.groupCount + $0 } }
  }

  /// The section, with the intervals of `flattened` and of the overall values when bootstrapped.
  func section(intervals: [ConfidenceInterval]?, overallIntervals: [ConfidenceInterval]?) -> GroupedMetricsSection {
    let names = source.metricNames, groupCount = grouping.groupCount, stride = groupCount + 4
    func interval(_ metric: Int, _ offset: Int) -> ConfidenceInterval? { intervals?[metric * stride + offset] }
    var overallTable: [String: MetricEstimate] = [:], groupMin = overallTable, groupMax = overallTable
    var difference: [String: MethodPair] = [:], ratio = difference
    for (metric, name) in names.enumerated() {
      overallTable[name] = MetricEstimate(value: overall[metric], undefined: overallReasons[metric], interval: overallIntervals?[metric])
      groupMin[name] = disparity(Disparity.groupMin(values[metric], included: included), metric: metric, method: .betweenGroups, interval: nil)
      groupMax[name] = disparity(Disparity.groupMax(values[metric], included: included), metric: metric, method: .betweenGroups, interval: nil)
      func pair(_ compute: ([Double], [Bool], Double, DisparityMethod) -> Double, base: Int) -> MethodPair {
        MethodPair(
          betweenGroups: disparity(compute(values[metric], included, overall[metric], .betweenGroups), metric: metric,
                                   method: .betweenGroups, interval: interval(metric, base)),
          toOverall: disparity(compute(values[metric], included, overall[metric], .toOverall), metric: metric,
                               method: .toOverall, interval: interval(metric, base + 1)))
      }
      difference[name] = pair({ Disparity.difference($0, included: $1, overall: $2, method: $3) }, base: groupCount)
      ratio[name] = pair({ Disparity.ratio($0, included: $1, overall: $2, method: $3) }, base: groupCount + 2)
    }
    let groups = (0..<groupCount).map { group in
      let status: GroupStatus = sizes[group] == 0 ? .empty : sizes[group] < minimumGroupSize ? .insufficientData : .reported
      var metrics = ["count": MetricEstimate(value: Double(sizes[group]))]
      for (metric, name) in names.enumerated() {
        var estimate = MetricEstimate(value: values[metric][group], undefined: sizes[group] == 0 ? .emptyGroup : reasons[metric][group])
        if status == .insufficientData {
          estimate.undefined = .insufficientData
          estimate.detail = "\(sizes[group]) rows, minimum \(minimumGroupSize)"
        }
        if status != .empty { estimate.interval = interval(metric, group) }
        metrics[name] = estimate
      }
      return GroupReport(name: grouping.groupName(group), labels: grouping.groupLabels[group], count: sizes[group],
                         status: status, metrics: metrics)
    }
    return GroupedMetricsSection(name: grouping.name, attributes: grouping.attributeNames, overall: overallTable, groups: groups,
                                 groupMin: groupMin, groupMax: groupMax, difference: difference, ratio: ratio)
  }

  /// A statistic over groups, marked undefined when it rests on an undefined included group
  /// value (or, to the overall value, an undefined overall value), or is NaN.
  func disparity(_ value: Double, metric: Int, method: DisparityMethod, interval: ConfidenceInterval?) -> MetricEstimate {
    let name = source.metricNames[metric]
    var inputs = (0..<grouping.groupCount).compactMap { group in
      included[group] ? reasons[metric][group].map { "\(grouping.groupName(group)).\(name): \($0.rawValue)" } : nil
    }
    if method == .toOverall, let reason = overallReasons[metric] { inputs.append("overall.\(name): \(reason.rawValue)") }
    if !inputs.isEmpty {
      return MetricEstimate(value: value, undefined: .restsOnUndefinedGroupValue, detail: inputs.joined(separator: "; "), interval: interval)
    }
    if value.isNaN {
      return MetricEstimate(value: value, undefined: .zeroDenominator, detail: "no defined group value, or 0/0", interval: interval)
    }
    return MetricEstimate(value: value, interval: interval)
  }
}
