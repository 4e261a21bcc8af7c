import Foundation
import KilnData
import KilnMetrics
import KilnTensor

/// Decision flips between two models on the same rows, overall or within one group.
public struct FlipRates: Codable, Sendable, Equatable {
  public var rows: Int
  /// Share of rows where the two decisions differ.
  public var flipRate: Double
  /// Share of rows the champion decides 0 and the challenger 1.
  public var negativeToPositive: Double
  /// Share of rows the champion decides 1 and the challenger 0.
  public var positiveToNegative: Double

  enum CodingKeys: String, CodingKey {
    case rows
    case flipRate = "flip_rate", negativeToPositive = "negative_to_positive", positiveToNegative = "positive_to_negative"
  }

  init(champion: [Int], challenger: [Int]) {
    rows = champion.count
    let total = Double(max(rows, 1))
    let up = zip(champion, challenger).filter { $0 == 0 && $1 == 1 }.count
    let down = zip(champion, challenger).filter { $0 == 1 && $1 == 0 }.count
    negativeToPositive = Double(up) / total
    positiveToNegative = Double(down) / total
    flipRate = Double(up + down) / total
  }
}

/// A metric of both models on labelled rows, with the challenger-minus-champion delta.
public struct MetricDelta: Codable, Sendable, Equatable {
  public var name: String
  public var champion: Double
  public var challenger: Double
  public var delta: Double
  /// The 95% paired percentile-bootstrap interval of the delta (accuracy only).
  public var deltaInterval: [Double]?

  enum CodingKeys: String, CodingKey {
    case name, champion, challenger, delta
    case deltaInterval = "delta_interval"
  }
}

/// `kiln compare-models`: a batch shadow comparison of two trained models.
public struct ModelComparisonReport: Codable, Sendable, Equatable {
  public var champion: String
  public var challenger: String
  public var overall: FlipRates
  /// Attribute → group → flips.
  public var byGroup: [String: [String: FlipRates]]
  /// Present when the input carries labels.
  public var metrics: [MetricDelta]

  enum CodingKeys: String, CodingKey {
    case champion, challenger, overall, metrics
    case byGroup = "by_group"
  }

  /// Scores `input` (a raw CSV) with both models, each through its own dataset's encoding.
  /// - Throws: `MonitoringError` when the two encodings keep different rows of the file.
  public static func compare(champion: MonitoredModel, challenger: MonitoredModel, input: URL,
                             resamples: Int = 1000, seed: UInt64 = 0) throws -> ModelComparisonReport {
    let championRows = try champion.encoding().encode(csvFile: input)
    let challengerEncoding = try challenger.encoding()
    let challengerRows = try challengerEncoding.encode(csvFile: input)
    guard championRows.sourceRows == challengerRows.sourceRows else {
      throw MonitoringError("\(input.path): the two models' encodings keep different rows (\(championRows.rowCount) and \(challengerRows.rowCount))",
                            hint: "compare on rows without missing values")
    }
    let championScores = champion.scorer(championRows.features, championRows.rowCount)
    let challengerScores = challenger.scorer(challengerRows.features, challengerRows.rowCount)
    let championDecisions = championScores.map { $0 >= champion.threshold ? 1 : 0 }
    let challengerDecisions = challengerScores.map { $0 >= challenger.threshold ? 1 : 0 }
    var byGroup: [String: [String: FlipRates]] = [:]
    for attribute in try champion.encoding().sensitive {
      guard let codes = championRows.sensitive[attribute.name] else { continue }
      for (index, group) in attribute.categories.enumerated() {
        let rows = codes.indices.filter { codes[$0] == Int32(index) }
        guard !rows.isEmpty else { continue }
        byGroup[attribute.name, default: [:]][group] = FlipRates(champion: rows.map { championDecisions[$0] },
                                                                 challenger: rows.map { challengerDecisions[$0] })
      }
    }
    var metrics: [MetricDelta] = []
    if let labelCodes = championRows.labels {
      let labels = labelCodes.map(Int.init)
      let championCorrect = zip(championDecisions, labels).map { $0 == $1 ? 1.0 : 0.0 }
      let challengerCorrect = zip(challengerDecisions, labels).map { $0 == $1 ? 1.0 : 0.0 }
      let accuracy = (championCorrect.reduce(0, +) / Double(labels.count), challengerCorrect.reduce(0, +) / Double(labels.count))
      metrics.append(MetricDelta(name: "accuracy", champion: accuracy.0, challenger: accuracy.1, delta: accuracy.1 - accuracy.0,
                                 deltaInterval: pairedInterval(zip(challengerCorrect, championCorrect).map { $0 - $1 },
                                                               resamples: resamples, seed: seed)))
      let auc = (RankingMetrics.rocAUC(labels: labels, scores: championScores), RankingMetrics.rocAUC(labels: labels, scores: challengerScores))
      metrics.append(MetricDelta(name: "roc_auc", champion: auc.0, challenger: auc.1, delta: auc.1 - auc.0, deltaInterval: nil))
    }
    return ModelComparisonReport(champion: champion.runID, challenger: challenger.runID,
                                 overall: FlipRates(champion: championDecisions, challenger: challengerDecisions),
                                 byGroup: byGroup, metrics: metrics)
  }

  /// The 2.5% and 97.5% percentiles of the mean of `differences` over row resamples (paired bootstrap).
  static func pairedInterval(_ differences: [Double], resamples: Int, seed: UInt64) -> [Double]? {
    guard resamples > 0, !differences.isEmpty else { return nil }
    var generator = SeededGenerator(seed: seed, stream: 0)
    var means: [Double] = []
    means.reserveCapacity(resamples)
    for _ in 0..<resamples {
      var sum = 0.0
      for _ in differences.indices { sum += differences[generator.uniformIndex(below: differences.count)] }
      means.append(sum / Double(differences.count))
    }
    means.sort()
    return [means[Int(0.025 * Double(resamples - 1))], means[Int(0.975 * Double(resamples - 1))]]
  }

  /// A summary for the terminal.
  public func renderedText() -> String {
    func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }
    var lines = ["champion \(champion) vs challenger \(challenger) on \(overall.rows) rows",
                 "  flip rate \(percent(overall.flipRate)) (0→1 \(percent(overall.negativeToPositive)), 1→0 \(percent(overall.positiveToNegative)))"]
    for (attribute, groups) in byGroup.sorted(by: { $0.key < $1.key }) {
      for (group, flips) in groups.sorted(by: { $0.key < $1.key }) {
        lines.append("  \(attribute)=\(group) (\(flips.rows) rows): flip rate \(percent(flips.flipRate)) (0→1 \(percent(flips.negativeToPositive)), 1→0 \(percent(flips.positiveToNegative)))")
      }
    }
    for metric in metrics {
      let interval = metric.deltaInterval.map { String(format: " [%.4f, %.4f]", $0[0], $0[1]) } ?? ""
      lines.append(String(format: "  %@: champion %.4f, challenger %.4f, delta %+.4f", metric.name, metric.champion, metric.challenger, metric.delta) + interval)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
