import Foundation
import KilnMetrics
import KilnReport

/// The evaluation of a binary classifier's scores on one split, computed directly with
/// KilnMetrics: the metrics gates read (`test.accuracy`, `fairness.sex.…`) and the card's plots.
public struct ScoredSplitEvaluation: Sendable {
  /// Metric name → estimate, as stored in `evaluation.json`.
  public var metrics: [String: MetricEstimate]
  /// The card's evaluation fields (curves, groups, confusion, threshold, uncertainty).
  public var card: CardEvaluation

  /// The evaluation fields of a model card.
  public struct CardEvaluation: Sendable {
    public var groupMetrics: [ModelCardInput.GroupMetric] = []
    public var rocCurve: [ModelCardInput.Point] = []
    public var precisionRecallCurve: [ModelCardInput.Point] = []
    public var reliability: [ModelCardInput.ReliabilityBin] = []
    public var confusion: ModelCardInput.Confusion?
    public var decisionThreshold: Double = 0.5
    public var uncertaintyMethod: String = ""
    public var rows: Int = 0
  }

  /// Most points kept on a ROC or precision–recall curve.
  static let curvePoints = 200
  /// The group metrics drawn on the card.
  static let cardGroupMetrics: [GroupMetric] = [.accuracy, .selectionRate, .truePositiveRate]

  /// - Parameters:
  ///   - split: the metric prefix (`test`).
  ///   - labels: true labels in {0, 1}; scores: P(label 1).
  ///   - attributes: sensitive attributes, each a category per row.
  ///   - classNames: display names of labels 0 and 1.
  public init<Generator: RandomNumberGenerator>(
    split: String, labels: [Int], scores: [Double], threshold: Double, attributes: [KilnMetrics.SensitiveAttribute],
    intersections: [[String]], minimumGroupSize: Int, bootstrap: BootstrapConfiguration?, classNames: [String],
    using generator: inout Generator
  ) throws {
    let predictions = DecisionThreshold.predictions(scores: scores, threshold: threshold)
    let report = BinaryClassificationReport(labels: labels, predictions: predictions, scores: scores,
                                            threshold: ThresholdChoice(threshold: threshold, criterion: nil, criterionValue: .nan),
                                            bootstrap: bootstrap, using: &generator)
    var metrics = report.namedMetrics(split: split)
    var card = CardEvaluation()
    if !attributes.isEmpty {
      let fairness = try FairnessAudit.report(
        labels: labels, predictions: predictions, scores: scores, attributes: attributes,
        configuration: FairnessAudit.Configuration(intersections: intersections, minimumGroupSize: minimumGroupSize, bootstrap: bootstrap),
        using: &generator)
      metrics.merge(fairness.namedMetrics()) { first, _ in first }
      // The split report bootstraps only the threshold metrics; the audit's overall section
      // bootstraps ROC AUC over the same rows, so its interval is the split's.
      if let overall = fairness.sections.first?.overall["roc_auc"], metrics["\(split).roc_auc"]?.interval == nil {
        metrics["\(split).roc_auc"]?.interval = overall.interval
      }
      for section in fairness.sections {
        for group in section.groups where group.status != .empty {
          for metric in Self.cardGroupMetrics {
            guard let estimate = group.metrics[metric.rawValue] else { continue }
            card.groupMetrics.append(.init(attribute: section.name, group: group.name, count: group.count, metric: metric.rawValue, estimate: estimate))
          }
        }
      }
    }
    card.rocCurve = Self.thinned(Self.rocPoints(labels: labels, scores: scores))
    card.precisionRecallCurve = Self.thinned(Self.precisionRecallPoints(labels: labels, scores: scores))
    card.reliability = Self.reliability(labels: labels, scores: scores, bins: 10)
    let counts = report.counts
    card.confusion = .init(labels: classNames, counts: [[counts.trueNegatives, counts.falsePositives], [counts.falseNegatives, counts.truePositives]])
    card.decisionThreshold = threshold
    card.uncertaintyMethod = bootstrap.map { "\(Int(($0.confidenceLevel * 100).rounded()))% percentile bootstrap over \($0.resamples) stratified resamples" }
      ?? "none: point estimates (no bootstrap configured in evaluation.bootstrap)"
    card.rows = labels.count
    self.metrics = metrics
    self.card = card
  }

  /// (false positive rate, true positive rate) at every distinct score, from the highest down.
  static func rocPoints(labels: [Int], scores: [Double]) -> [ModelCardInput.Point] {
    sweep(labels: labels, scores: scores) { truePositives, falsePositives, positives, negatives in
      ModelCardInput.Point(x: negatives == 0 ? 0 : Double(falsePositives) / Double(negatives),
                           y: positives == 0 ? 0 : Double(truePositives) / Double(positives))
    }
  }

  /// (recall, precision) at every distinct score, from the highest down.
  static func precisionRecallPoints(labels: [Int], scores: [Double]) -> [ModelCardInput.Point] {
    Array(sweep(labels: labels, scores: scores) { truePositives, falsePositives, positives, _ in
      let predicted = truePositives + falsePositives
      return ModelCardInput.Point(x: positives == 0 ? 0 : Double(truePositives) / Double(positives),
                                  y: predicted == 0 ? 1 : Double(truePositives) / Double(predicted))
    }.dropFirst())
  }

  /// Walks thresholds from above the highest score down, emitting one point per distinct score.
  static func sweep(labels: [Int], scores: [Double], point: (Int, Int, Int, Int) -> ModelCardInput.Point) -> [ModelCardInput.Point] {
    let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    let positives = labels.filter { $0 == 1 }.count, negatives = labels.count - positives
    var truePositives = 0, falsePositives = 0
    var points = [point(0, 0, positives, negatives)]
    for (position, index) in order.enumerated() {
      if labels[index] == 1 { truePositives += 1 } else { falsePositives += 1 }
      let isLastOfScore = position + 1 == order.count || scores[order[position + 1]] != scores[index]
      if isLastOfScore { points.append(point(truePositives, falsePositives, positives, negatives)) }
    }
    return points
  }

  /// Keeps at most `curvePoints` points, evenly spaced, with the first and last.
  static func thinned(_ points: [ModelCardInput.Point]) -> [ModelCardInput.Point] {
    guard points.count > curvePoints else { return points }
    let step = Double(points.count - 1) / Double(curvePoints - 1)
    return (0..<curvePoints).map { points[Int((Double($0) * step).rounded())] }
  }

  /// Equal-width bins of predicted probability: mean prediction against the observed positive rate.
  static func reliability(labels: [Int], scores: [Double], bins: Int) -> [ModelCardInput.ReliabilityBin] {
    var sums = [Double](repeating: 0, count: bins), positives = [Int](repeating: 0, count: bins), counts = [Int](repeating: 0, count: bins)
    for (label, score) in zip(labels, scores) {
      let bin = min(bins - 1, max(0, Int(score * Double(bins))))
      sums[bin] += score
      positives[bin] += label
      counts[bin] += 1
    }
    return (0..<bins).filter { counts[$0] > 0 }.map {
      ModelCardInput.ReliabilityBin(meanPredicted: sums[$0] / Double(counts[$0]), observedRate: Double(positives[$0]) / Double(counts[$0]), count: counts[$0])
    }
  }
}
