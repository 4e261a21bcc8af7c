import KilnRandom

extension MetricFrame {
  /// Per metric: the group values, then the difference and ratio by both methods — under
  /// `weights` (a frame of `Metric`s; nil: the data as it is).
  func flattened(weights: [Int32]?) -> [Double] {
    guard let rows, let weights else { return flattened(values: values, overall: overallValues) }
    return flattened(values: rows.values(codes: grouping.codes, groupCount: grouping.groupCount, weights: weights),
                     overall: rows.values(codes: nil, groupCount: 1, weights: weights).map { $0[0] })
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

  /// The intervals of `flattened`, by metric name.
  func intervals(flattened intervals: [ConfidenceInterval], overall: [ConfidenceInterval]) -> FrameIntervals {
    let groupCount = grouping.groupCount, stride = groupCount + 4
    var result = FrameIntervals()
    for (metric, name) in metricNames.enumerated() {
      let base = metric * stride
      result.overall[name] = overall[metric]
      result.byGroup[name] = Array(intervals[base..<base + groupCount])
      result.difference[name] = Array(intervals[base + groupCount..<base + groupCount + 2])
      result.ratio[name] = Array(intervals[base + groupCount + 2..<base + stride])
    }
    return result
  }

  /// Percentile intervals of every overall and per-group value and BCa intervals of every
  /// disparity, for frames of `Metric`s over the same rows, from one seeded bootstrap over rows
  /// (`RowResampler`) stratified by the finest cell of all sensitive attributes — crossed with
  /// the true class when `classCount` is given — so every group (and its class mix) keeps its
  /// size in each resample. BCa's acceleration comes from an exact jackknife (`jackknife`).
  static func bootstrapIntervals(_ frames: [MetricFrame], rows: MetricRows, singles: [Grouping], classCount: Int?,
                                 configuration bootstrap: BootstrapConfiguration, generator: inout SeededGenerator) -> [FrameIntervals] {
    let rowCount = rows.labels.count
    let resampler = RowResampler(singles: singles, classes: classCount.map { _ in rows.labels.map { Int($0) } },
                                 classCount: classCount ?? 1, rowCount: rowCount)
    let metricCount = rows.metrics.count
    let sizes = frames.map { $0.flattened(weights: nil).count }
    let samples = resampler.samples(statisticCount: metricCount + sizes.reduce(0, +), configuration: bootstrap, generator: &generator) { weights in
      rows.values(codes: nil, groupCount: 1, weights: weights).map { $0[0] } + frames.flatMap { $0.flattened(weights: weights) }
    }
    let all = samples.intervals(level: bootstrap.confidenceLevel)
    let overall = Array(all[0..<metricCount])
    let jackknife = jackknife(frames, rows: rows, cells: BootstrapIntervals.finestCells(singles, rowCount: rowCount).codes)
    var offset = metricCount
    return frames.indices.map { index in
      let frame = frames[index], size = sizes[index]
      defer { offset += size }
      var intervals = Array(all[offset..<offset + size])
      let estimates = frame.flattened(weights: nil)
      for statistic in frame.disparityIndices {
        let values = jackknife.map { (value: $0.frames[index][statistic], weight: $0.weight) }
        if let bca = StratifiedBootstrap.bcaInterval(samples.samples(of: offset + statistic), estimate: estimates[statistic],
                                                     jackknife: values, level: bootstrap.confidenceLevel) {
          intervals[statistic] = bca
        } else if estimates[statistic].isFinite {
          intervals[statistic].method = .percentileBCaUndefined
        }
      }
      return frame.intervals(flattened: intervals, overall: overall)
    }
  }

  /// Leave-one-out values of every frame's `flattened` statistics, for BCa's acceleration, each
  /// with the rows it stands for. Rows of one finest cell with the same label and prediction
  /// leave the same rows behind, so they share one entry. When every metric comes from
  /// regression sums, each row's entry updates its group's and the overall sums without it
  /// rather than recomputing.
  static func jackknife(_ frames: [MetricFrame], rows: MetricRows, cells: [Int32]) -> [(frames: [[Double]], weight: Int)] {
    let labels = rows.labels, predictions = rows.predictions
    if rows.isRegressionSums {
      let overall = RegressionSums(targets: labels, predictions: predictions, weights: nil)
      let groupSums = frames.map { rows.regressionSums(codes: $0.grouping.codes, groupCount: $0.grouping.groupCount, weights: nil) }
      func values(_ sums: RegressionSums) -> [Double] {
        rows.metrics.map { metric in
          guard case .regressionSums(let value, _) = metric.evaluation else { return .nan }
          return sums.weight == 0 ? .nan : value(sums)
        }
      }
      return labels.indices.map { row in
        let (target, prediction) = (labels[row], predictions[row])
        let overallValues = values(overall.removing(target: target, prediction: prediction))
        let flattened = frames.indices.map { index -> [Double] in
          let frame = frames[index], group = Int(frame.grouping.codes[row])
          let reduced = values(groupSums[index][group].removing(target: target, prediction: prediction))
          var groupValues = frame.values
          for metric in groupValues.indices { groupValues[metric][group] = reduced[metric] }
          return frame.flattened(values: groupValues, overall: overallValues)
        }
        return (flattened, 1)
      }
    }
    struct Key: Hashable { let cell: Int32, label: UInt64, prediction: UInt64 }
    var entryOfKey: [Key: Int] = [:], representatives: [Int] = [], counts: [Int] = []
    for row in labels.indices {
      let key = Key(cell: cells[row], label: labels[row].bitPattern, prediction: predictions[row].bitPattern)
      if let entry = entryOfKey[key] {
        counts[entry] += 1
      } else {
        entryOfKey[key] = representatives.count
        representatives.append(row)
        counts.append(1)
      }
    }
    var weights = [Int32](repeating: 1, count: labels.count)
    return representatives.indices.map { entry in
      weights[representatives[entry]] = 0
      defer { weights[representatives[entry]] = 1 }
      return (frames.map { $0.flattened(weights: weights) }, counts[entry])
    }
  }
}

/// Bootstrap intervals of one frame's statistics, by metric name.
struct FrameIntervals {
  var overall: [String: ConfidenceInterval] = [:]
  /// One per group.
  var byGroup: [String: [ConfidenceInterval]] = [:]
  /// By method, in `DisparityMethod.allCases` order.
  var difference: [String: [ConfidenceInterval]] = [:]
  var ratio: [String: [ConfidenceInterval]] = [:]
  /// `[measure][method]`, measures in `FairnessMeasure.allCases` order (binary frames).
  var measures: [[ConfidenceInterval]]?
}
