/// Compares a current batch with the reference (training) data, column by column, for the scores,
/// for the mix of sensitive groups and within each group.
public enum DriftAnalysis {
  /// Runs every comparison.
  /// - Parameters:
  ///   - columns: the features, each with its reference and current values.
  ///   - groupings: sensitive attributes with row-aligned group codes for both sides.
  ///   - referenceScores, currentScores: model scores of both sides (both or neither).
  public static func analyze(columns: [DriftColumn], groupings: [DriftGrouping] = [],
                             referenceScores: [Double]? = nil, currentScores: [Double]? = nil,
                             thresholds: DriftThresholds, context: [String: String] = [:]) -> DriftReport {
    let features = columns.compactMap { FeatureDrift.compare($0, thresholds: thresholds) }
    var score: FeatureDrift?
    if let referenceScores, let currentScores {
      var scoreThresholds = thresholds
      scoreThresholds.psiThreshold = thresholds.scorePSIThreshold
      score = FeatureDrift.numeric(name: "score", reference: referenceScores.sorted(), current: currentScores.sorted(),
                                   thresholds: scoreThresholds)
    }
    let mixes = groupings.compactMap { grouping in
      FeatureDrift.categorical(name: grouping.name, categories: grouping.categories,
                               referenceCounts: FeatureDrift.counts(grouping.reference, grouping.categories.count),
                               currentCounts: FeatureDrift.counts(grouping.current, grouping.categories.count),
                               thresholds: thresholds)
    }
    let within = groupings.flatMap { withinGroupDrift(columns: columns, grouping: $0, thresholds: thresholds) }
    let referenceRows = groupings.first?.reference.count ?? rowCount(columns, reference: true)
    let currentRows = groupings.first?.current.count ?? rowCount(columns, reference: false)
    let verdicts = features.map(\.verdict) + mixes.map(\.verdict) + within.map(\.verdict) + [score?.verdict ?? .stable]
    return DriftReport(thresholds: thresholds, referenceRows: referenceRows, currentRows: currentRows, features: features,
                       score: score, groupMix: mixes, withinGroups: within, verdict: verdicts.max() ?? .stable,
                       context: context)
  }

  /// Feature drift inside each group of one attribute (groups too small on either side are skipped).
  ///
  /// The p-value level is divided by the number of tests made for the attribute (groups × features,
  /// Bonferroni), so that testing every feature in every group does not by itself raise alarms.
  static func withinGroupDrift(columns: [DriftColumn], grouping: DriftGrouping, thresholds: DriftThresholds) -> [GroupDrift] {
    var referenceRows = grouping.categories.map { _ in [Int]() }
    var currentRows = referenceRows
    for (row, code) in grouping.reference.enumerated() where code >= 0 && Int(code) < grouping.categories.count {
      referenceRows[Int(code)].append(row)
    }
    for (row, code) in grouping.current.enumerated() where code >= 0 && Int(code) < grouping.categories.count {
      currentRows[Int(code)].append(row)
    }
    let testable = { (index: Int) in
      referenceRows[index].count >= thresholds.minGroupSize && currentRows[index].count >= thresholds.minGroupSize
    }
    var corrected = thresholds
    corrected.pValue = thresholds.pValue / Double(max(1, grouping.categories.indices.filter(testable).count * columns.count))
    return grouping.categories.indices.map { index in
      let reference = referenceRows[index], current = currentRows[index]
      var features: [FeatureDrift] = []
      if testable(index) {
        features = columns.compactMap { FeatureDrift.compare($0.subset(reference: reference, current: current), thresholds: corrected) }
      }
      return GroupDrift(attribute: grouping.name, group: grouping.categories[index], referenceCount: reference.count,
                        currentCount: current.count, features: features, verdict: features.map(\.verdict).max() ?? .stable)
    }
  }

  private static func rowCount(_ columns: [DriftColumn], reference: Bool) -> Int {
    guard let first = columns.first else { return 0 }
    switch first.values {
    case .numeric(let r, let c): return reference ? r.count : c.count
    case .categorical(_, let r, let c): return reference ? r.count : c.count
    }
  }
}
