extension FairnessSection {
  /// The section for `frame`, with intervals when a bootstrap was run.
  init(frame: MetricFrame, intervals: SectionStatistics<ConfidenceInterval>?, scoreIntervals: SectionStatistics<ConfidenceInterval>?,
       overallIntervals: [GroupMetric: ConfidenceInterval]) {
    let metrics = frame.metrics
    /// The interval table holding `metric`, and the metric's row in it.
    func table(_ metric: GroupMetric) -> (SectionStatistics<ConfidenceInterval>, Int)? {
      if let position = SectionStatistics<Double>.metrics.firstIndex(of: metric), let intervals { return (intervals, position) }
      if let position = GroupMetric.scoreBased.firstIndex(of: metric), let scoreIntervals { return (scoreIntervals, position) }
      return nil
    }
    name = frame.grouping.name
    attributes = frame.grouping.attributeNames
    overall = Dictionary(uniqueKeysWithValues: metrics.map { metric in
      (metric.rawValue, MetricEstimate(value: frame.overall(metric), undefined: frame.overallUndefinedReason(metric),
                                       interval: overallIntervals[metric]))
    })
    let byGroup = metrics.map { frame.byGroup($0) }
    groups = (0..<frame.grouping.groupCount).map { group in
      let status = frame.status(ofGroup: group)
      var values: [String: MetricEstimate] = [:]
      for (index, metric) in metrics.enumerated() {
        var estimate = MetricEstimate(value: byGroup[index][group], undefined: frame.undefinedReason(metric, group: group))
        if status == .insufficientData && metric != .count {
          estimate.undefined = .insufficientData
          estimate.detail = "\(frame.groupCounts[group].count) rows, minimum \(frame.minimumGroupSize)"
        }
        if status != .empty, let (intervals, position) = table(metric) {
          estimate.interval = intervals.byGroup[position][group]
        }
        values[metric.rawValue] = estimate
      }
      return GroupReport(name: frame.grouping.groupName(group), labels: frame.grouping.groupLabels[group],
                         count: frame.groupCounts[group].count, status: status, metrics: values)
    }
    groupMin = Dictionary(uniqueKeysWithValues: metrics.map { metric in
      (metric.rawValue, Self.estimate(frame.groupMin(metric), frame: frame, basis: [metric], method: .betweenGroups, interval: nil))
    })
    groupMax = Dictionary(uniqueKeysWithValues: metrics.map { metric in
      (metric.rawValue, Self.estimate(frame.groupMax(metric), frame: frame, basis: [metric], method: .betweenGroups, interval: nil))
    })
    difference = Self.pairs(metrics, frame: frame) { metric, method in
      (frame.difference(metric, method: method), table(metric).map { $0.0.difference[$0.1][Self.methodIndex(method)] })
    }
    ratio = Self.pairs(metrics, frame: frame) { metric, method in
      (frame.ratio(metric, method: method), table(metric).map { $0.0.ratio[$0.1][Self.methodIndex(method)] })
    }
    measures = Dictionary(uniqueKeysWithValues: FairnessMeasure.allCases.enumerated().map { position, measure in
      let pair = MethodPair(
        betweenGroups: Self.estimate(frame.measure(measure, method: .betweenGroups), frame: frame, basis: measure.basis,
                                     method: .betweenGroups, interval: intervals?.measures[position][0]),
        toOverall: Self.estimate(frame.measure(measure, method: .toOverall), frame: frame, basis: measure.basis,
                                 method: .toOverall, interval: intervals?.measures[position][1]))
      return (measure.rawValue, pair)
    })
    let impact = measures[FairnessMeasure.disparateImpact.rawValue]!.betweenGroups
    fourFifthsRule = FourFifthsRule(ratio: impact, threshold: FairnessMeasure.fourFifthsThreshold,
                                    flagged: !(impact.isDefined && impact.value >= FairnessMeasure.fourFifthsThreshold))
  }

  static func methodIndex(_ method: DisparityMethod) -> Int { DisparityMethod.allCases.firstIndex(of: method)! }

  static func pairs(_ metrics: [GroupMetric], frame: MetricFrame,
                    value: (GroupMetric, DisparityMethod) -> (Double, ConfidenceInterval?)) -> [String: MethodPair] {
    Dictionary(uniqueKeysWithValues: metrics.map { metric in
      let between = value(metric, .betweenGroups), toOverall = value(metric, .toOverall)
      return (metric.rawValue, MethodPair(
        betweenGroups: estimate(between.0, frame: frame, basis: [metric], method: .betweenGroups, interval: between.1),
        toOverall: estimate(toOverall.0, frame: frame, basis: [metric], method: .toOverall, interval: toOverall.1)))
    })
  }

  /// A statistic over groups, marked undefined when an included group's input value (or, to the
  /// overall value, the overall input) is undefined, or when the statistic itself is NaN.
  static func estimate(_ value: Double, frame: MetricFrame, basis: [GroupMetric], method: DisparityMethod,
                       interval: ConfidenceInterval?) -> MetricEstimate {
    var inputs = frame.undefinedInputs(of: basis)
    if method == .toOverall {
      for metric in basis {
        if let reason = frame.overallUndefinedReason(metric) { inputs.append("overall.\(metric.rawValue): \(reason.rawValue)") }
      }
    }
    if !inputs.isEmpty {
      return MetricEstimate(value: value, undefined: .restsOnUndefinedGroupValue, detail: inputs.joined(separator: "; "), interval: interval)
    }
    if value.isNaN {
      return MetricEstimate(value: value, undefined: .zeroDenominator, detail: "no defined group value, or 0/0", interval: interval)
    }
    return MetricEstimate(value: value, interval: interval)
  }
}
