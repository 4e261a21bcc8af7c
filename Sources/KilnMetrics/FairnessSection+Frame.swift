extension FairnessSection {
  /// The section for `frame`, with intervals when a bootstrap was run. A binary frame adds the
  /// named fairness measures and the four-fifths rule.
  init(frame: MetricFrame, intervals: FrameIntervals?) {
    let names = frame.metricNames
    name = frame.grouping.name
    attributes = frame.grouping.attributeNames
    overall = Dictionary(uniqueKeysWithValues: names.map { metric in
      (metric, MetricEstimate(value: frame.overall(metric), undefined: frame.overallUndefinedReason(metric), interval: intervals?.overall[metric]))
    })
    groups = (0..<frame.grouping.groupCount).map { group in
      let status = frame.status(ofGroup: group), size = frame.groupSizes[group]
      var values = names.contains("count") ? [:] : ["count": MetricEstimate(value: Double(size))]
      for metric in names {
        var estimate = MetricEstimate(value: frame.byGroup(metric)[group], undefined: frame.undefinedReason(metric, group: group))
        if status == .insufficientData && metric != "count" {
          estimate.undefined = .insufficientData
          estimate.detail = "\(size) rows, minimum \(frame.minimumGroupSize)"
        }
        if status != .empty { estimate.interval = intervals?.byGroup[metric]?[group] }
        values[metric] = estimate
      }
      return GroupReport(name: frame.grouping.groupName(group), labels: frame.grouping.groupLabels[group], count: size,
                         status: status, metrics: values)
    }
    groupMin = Dictionary(uniqueKeysWithValues: names.map { metric in
      (metric, Self.estimate(frame.groupMin(metric), frame: frame, basis: [metric], method: .betweenGroups, interval: nil))
    })
    groupMax = Dictionary(uniqueKeysWithValues: names.map { metric in
      (metric, Self.estimate(frame.groupMax(metric), frame: frame, basis: [metric], method: .betweenGroups, interval: nil))
    })
    func pairs(_ value: (String, DisparityMethod) -> Double, _ table: [String: [ConfidenceInterval]]?) -> [String: MethodPair] {
      Dictionary(uniqueKeysWithValues: names.map { metric in
        (metric, MethodPair(
          betweenGroups: Self.estimate(value(metric, .betweenGroups), frame: frame, basis: [metric], method: .betweenGroups,
                                       interval: table?[metric]?[0]),
          toOverall: Self.estimate(value(metric, .toOverall), frame: frame, basis: [metric], method: .toOverall,
                                   interval: table?[metric]?[1])))
      })
    }
    difference = pairs({ frame.difference($0, method: $1) }, intervals?.difference)
    ratio = pairs({ frame.ratio($0, method: $1) }, intervals?.ratio)
    guard frame.isConfusionFrame else {
      measures = nil
      fourFifthsRule = nil
      return
    }
    let measures = Dictionary(uniqueKeysWithValues: FairnessMeasure.allCases.enumerated().map { position, measure in
      let basis = measure.basis.map(\.rawValue)
      let pair = MethodPair(
        betweenGroups: Self.estimate(frame.measure(measure, method: .betweenGroups), frame: frame, basis: basis,
                                     method: .betweenGroups, interval: intervals?.measures?[position][0]),
        toOverall: Self.estimate(frame.measure(measure, method: .toOverall), frame: frame, basis: basis,
                                 method: .toOverall, interval: intervals?.measures?[position][1]))
      return (measure.rawValue, pair)
    })
    self.measures = measures
    let impact = measures[FairnessMeasure.disparateImpact.rawValue]!.betweenGroups
    fourFifthsRule = FourFifthsRule(ratio: impact, threshold: FairnessMeasure.fourFifthsThreshold,
                                    flagged: !(impact.isDefined && impact.value >= FairnessMeasure.fourFifthsThreshold))
  }

  /// A statistic over groups, marked undefined when an included group's input value (or, to the
  /// overall value, the overall input) is undefined, or when the statistic itself is NaN.
  static func estimate(_ value: Double, frame: MetricFrame, basis: [String], method: DisparityMethod,
                       interval: ConfidenceInterval?) -> MetricEstimate {
    var inputs = frame.undefinedInputs(of: basis)
    if method == .toOverall {
      for metric in basis {
        if let reason = frame.overallUndefinedReason(metric) { inputs.append("overall.\(metric): \(reason.rawValue)") }
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
