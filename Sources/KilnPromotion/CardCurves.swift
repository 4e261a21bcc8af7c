import KilnReport
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// The curves a model card draws from a split's labels and scores: ROC, precision–recall and
/// the reliability diagram, thinned to at most `maximumPoints` points each.
public enum CardCurves {
  /// Most points kept on a ROC or precision–recall curve.
  public static let maximumPoints = 200

  /// (false positive rate, true positive rate) at every distinct score, from the highest down.
  public static func rocPoints(labels: [Int], scores: [Double]) -> [ModelCardInput.Point] {
    sweep(labels: labels, scores: scores) { truePositives, falsePositives, positives, negatives in
      ModelCardInput.Point(x: negatives == 0 ? 0 : Double(falsePositives) / Double(negatives),
                           y: positives == 0 ? 0 : Double(truePositives) / Double(positives))
    }
  }

  /// (recall, precision) at every distinct score, from the highest down.
  public static func precisionRecallPoints(labels: [Int], scores: [Double]) -> [ModelCardInput.Point] {
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

  /// Keeps at most `maximumPoints` points, evenly spaced, with the first and last.
  public static func thinned(_ points: [ModelCardInput.Point]) -> [ModelCardInput.Point] {
    guard points.count > maximumPoints else { return points }
    let step = Double(points.count - 1) / Double(maximumPoints - 1)
    return (0..<maximumPoints).map { points[Int((Double($0) * step).rounded())] }
  }

  /// At most `maximumScatterPoints` row indices of `count`, evenly spaced (scatter plots).
  public static func thinnedRows(count: Int) -> [Int] {
    guard count > maximumScatterPoints else { return Array(0..<count) }
    let step = Double(count - 1) / Double(maximumScatterPoints - 1)
    return (0..<maximumScatterPoints).map { Int((Double($0) * step).rounded()) }
  }

  /// Most points drawn on a scatter plot.
  public static let maximumScatterPoints = 500

  /// Equal-width bins of predicted probability: mean prediction against the observed positive rate.
  public static func reliability(labels: [Int], scores: [Double], bins: Int = 10) -> [ModelCardInput.ReliabilityBin] {
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
