/// Compares a current batch with the reference (training) data, column by column, for the scores,
/// for the mix of sensitive groups and within each group.
///
/// Each numeric column is sorted once per side (a radix argsort); the sorted values of each group
/// are read off that order, and category counts per group are tallied in one pass, so the
/// within-group comparisons cost O(n) per attribute rather than a sort per group.
public enum DriftAnalysis {
  /// Runs every comparison.
  /// - Parameters:
  ///   - columns: the features, each with its reference and current values.
  ///   - groupings: sensitive attributes with row-aligned group codes for both sides.
  ///   - referenceScores, currentScores: binary model scores of both sides (both or neither).
  ///   - predictions: a model's outputs on both sides of any kind (overrides the scores).
  public static func analyze(columns: [DriftColumn], groupings: [DriftGrouping] = [],
                             referenceScores: [Double]? = nil, currentScores: [Double]? = nil,
                             predictions: PredictionSample? = nil,
                             thresholds: DriftThresholds, context: [String: String] = [:]) -> DriftReport {
    let prepared = columns.map(PreparedColumn.init)
    let features = prepared.compactMap { $0.drift(thresholds: thresholds) }
    var sample = predictions
    if sample == nil, let referenceScores, let currentScores { sample = .scores(reference: referenceScores, current: currentScores) }
    let score = sample?.drift(thresholds: thresholds)
    let mixes = groupings.compactMap { grouping in
      FeatureDrift.categorical(name: grouping.name, categories: grouping.categories,
                               referenceCounts: FeatureDrift.counts(grouping.reference, grouping.categories.count),
                               currentCounts: FeatureDrift.counts(grouping.current, grouping.categories.count),
                               thresholds: thresholds)
    }
    let within = groupings.flatMap { withinGroupDrift(columns: prepared, grouping: $0, thresholds: thresholds) }
    let referenceRows = groupings.first?.reference.count ?? prepared.first?.referenceCount ?? 0
    let currentRows = groupings.first?.current.count ?? prepared.first?.currentCount ?? 0
    let verdicts = features.map(\.verdict) + mixes.map(\.verdict) + within.map(\.verdict) + [score?.verdict ?? .stable]
    return DriftReport(thresholds: thresholds, referenceRows: referenceRows, currentRows: currentRows, features: features,
                       score: score, groupMix: mixes, withinGroups: within, verdict: verdicts.max() ?? .stable,
                       context: context)
  }

  /// Feature drift inside each group of one attribute (groups too small on either side are skipped).
  ///
  /// The p-value level is divided by the number of tests made for the attribute (groups × features,
  /// Bonferroni), so that testing every feature in every group does not by itself raise alarms.
  static func withinGroupDrift(columns: [PreparedColumn], grouping: DriftGrouping, thresholds: DriftThresholds) -> [GroupDrift] {
    let groupCount = grouping.categories.count
    let referenceSizes = FeatureDrift.counts(grouping.reference, groupCount)
    let currentSizes = FeatureDrift.counts(grouping.current, groupCount)
    let testable = (0..<groupCount).map { referenceSizes[$0] >= thresholds.minGroupSize && currentSizes[$0] >= thresholds.minGroupSize }
    var corrected = thresholds
    corrected.pValue = thresholds.pValue / Double(max(1, testable.filter { $0 }.count * columns.count))
    var features = [[FeatureDrift]](repeating: [], count: groupCount)
    for column in columns {
      let drifts = column.driftWithinGroups(grouping, testable: testable, thresholds: corrected)
      for group in 0..<groupCount { if let drift = drifts[group] { features[group].append(drift) } }
    }
    return (0..<groupCount).map { index in
      GroupDrift(attribute: grouping.name, group: grouping.categories[index], referenceCount: referenceSizes[index],
                 currentCount: currentSizes[index], features: features[index],
                 verdict: features[index].map(\.verdict).max() ?? .stable)
    }
  }
}

/// A column with the sort orders of its numeric values computed once.
struct PreparedColumn {
  let column: DriftColumn
  private let referenceOrder: [Int32]
  private let currentOrder: [Int32]

  init(_ column: DriftColumn) {
    self.column = column
    if case .numeric(let reference, let current) = column.values {
      referenceOrder = RadixSort.order(of: reference)
      currentOrder = RadixSort.order(of: current)
    } else {
      referenceOrder = []
      currentOrder = []
    }
  }

  var referenceCount: Int {
    switch column.values {
    case .numeric(let reference, _): return reference.count
    case .categorical(_, let reference, _): return reference.count
    }
  }

  var currentCount: Int {
    switch column.values {
    case .numeric(_, let current): return current.count
    case .categorical(_, _, let current): return current.count
    }
  }

  func drift(thresholds: DriftThresholds) -> FeatureDrift? {
    switch column.values {
    case .numeric(let reference, let current):
      return FeatureDrift.numeric(name: column.name, reference: referenceOrder.map { reference[Int($0)] },
                                  current: currentOrder.map { current[Int($0)] }, thresholds: thresholds)
    case .categorical(let categories, let reference, let current):
      return FeatureDrift.categorical(name: column.name, categories: categories,
                                      referenceCounts: FeatureDrift.counts(reference, categories.count),
                                      currentCounts: FeatureDrift.counts(current, categories.count), thresholds: thresholds)
    }
  }

  /// The drift of this column inside each testable group (`nil` for the others).
  func driftWithinGroups(_ grouping: DriftGrouping, testable: [Bool], thresholds: DriftThresholds) -> [FeatureDrift?] {
    let groupCount = grouping.categories.count
    switch column.values {
    case .numeric(let reference, let current):
      let referenceSorted = Self.sortedByGroup(reference, order: referenceOrder, codes: grouping.reference, groupCount: groupCount)
      let currentSorted = Self.sortedByGroup(current, order: currentOrder, codes: grouping.current, groupCount: groupCount)
      return (0..<groupCount).map { group in
        testable[group] ? FeatureDrift.numeric(name: column.name, reference: referenceSorted[group], current: currentSorted[group],
                                               thresholds: thresholds) : nil
      }
    case .categorical(let categories, let reference, let current):
      let referenceCounts = Self.countsByGroup(reference, codes: grouping.reference, groupCount: groupCount, categoryCount: categories.count)
      let currentCounts = Self.countsByGroup(current, codes: grouping.current, groupCount: groupCount, categoryCount: categories.count)
      return (0..<groupCount).map { group in
        testable[group] ? FeatureDrift.categorical(name: column.name, categories: categories, referenceCounts: referenceCounts[group],
                                                   currentCounts: currentCounts[group], thresholds: thresholds) : nil
      }
    }
  }

  /// Each group's values in ascending order, read off the column's sort order.
  static func sortedByGroup(_ values: [Double], order: [Int32], codes: [Int32], groupCount: Int) -> [[Double]] {
    var groups = [[Double]](repeating: [], count: groupCount)
    for row in order {
      let code = codes[Int(row)]
      if code >= 0 && Int(code) < groupCount { groups[Int(code)].append(values[Int(row)]) }
    }
    return groups
  }

  static func countsByGroup(_ values: [Int32], codes: [Int32], groupCount: Int, categoryCount: Int) -> [[Int]] {
    var counts = [[Int]](repeating: [Int](repeating: 0, count: categoryCount), count: groupCount)
    for (value, code) in zip(values, codes) where code >= 0 && Int(code) < groupCount && value >= 0 && Int(value) < categoryCount {
      counts[Int(code)][Int(value)] += 1
    }
    return counts
  }
}
