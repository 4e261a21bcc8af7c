/// The four cells of a binary confusion matrix, and the rates derived from them.
///
/// Rates follow fairlearn 0.15 / scikit-learn conventions so that values match those libraries
/// exactly: a rate whose denominator is zero is 0.0 (true/false positive/negative rates come from
/// `confusion_matrix(normalize="true")`, which turns 0/0 into 0; precision uses
/// `zero_division` = 0). `undefinedReason(for:)` says when a value rests on such a zero
/// denominator, so reports can mark it instead of silently trusting the 0.0.
public struct ConfusionCounts: Sendable, Equatable, Hashable, Codable {
  /// Label 1, predicted 1.
  public var truePositives: Int
  /// Label 0, predicted 1.
  public var falsePositives: Int
  /// Label 0, predicted 0.
  public var trueNegatives: Int
  /// Label 1, predicted 0.
  public var falseNegatives: Int

  public init(truePositives: Int = 0, falsePositives: Int = 0, trueNegatives: Int = 0, falseNegatives: Int = 0) {
    self.truePositives = truePositives
    self.falsePositives = falsePositives
    self.trueNegatives = trueNegatives
    self.falseNegatives = falseNegatives
  }

  /// Counts the cells over paired labels and predictions (both in {0, 1}).
  public init(labels: [Int], predictions: [Int]) {
    precondition(labels.count == predictions.count,
                 "ConfusionCounts: \(labels.count) labels but \(predictions.count) predictions")
    var cells = [0, 0, 0, 0]
    for index in labels.indices {
      let label = labels[index], prediction = predictions[index]
      precondition((label == 0 || label == 1) && (prediction == 0 || prediction == 1),
                   "ConfusionCounts: row \(index) has label \(label) and prediction \(prediction); both must be 0 or 1")
      cells[label &* 2 &+ prediction] &+= 1
    }
    self.init(truePositives: cells[3], falsePositives: cells[1], trueNegatives: cells[0], falseNegatives: cells[2])
  }

  public static func + (lhs: ConfusionCounts, rhs: ConfusionCounts) -> ConfusionCounts {
    ConfusionCounts(truePositives: lhs.truePositives + rhs.truePositives,
                    falsePositives: lhs.falsePositives + rhs.falsePositives,
                    trueNegatives: lhs.trueNegatives + rhs.trueNegatives,
                    falseNegatives: lhs.falseNegatives + rhs.falseNegatives)
  }

  public static func += (lhs: inout ConfusionCounts, rhs: ConfusionCounts) { lhs = lhs + rhs }

  /// Number of rows.
  public var count: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
  /// Rows with label 1.
  public var positives: Int { truePositives + falseNegatives }
  /// Rows with label 0.
  public var negatives: Int { falsePositives + trueNegatives }
  /// Rows predicted 1.
  public var predictedPositives: Int { truePositives + falsePositives }

  /// `numerator / denominator`, or `zeroValue` when the denominator is 0.
  @inline(__always)
  static func rate(_ numerator: Int, _ denominator: Int, zeroValue: Double) -> Double {
    denominator == 0 ? zeroValue : Double(numerator) / Double(denominator)
  }

  /// (TP + TN) / n; NaN for an empty set.
  public var accuracy: Double { Self.rate(truePositives + trueNegatives, count, zeroValue: .nan) }
  /// (TP + FP) / n, the share predicted positive; NaN for an empty set.
  public var selectionRate: Double { Self.rate(predictedPositives, count, zeroValue: .nan) }
  /// TP / (TP + FN), also recall and sensitivity; 0 when there are no positive labels.
  public var truePositiveRate: Double { Self.rate(truePositives, positives, zeroValue: 0) }
  /// FP / (FP + TN); 0 when there are no negative labels.
  public var falsePositiveRate: Double { Self.rate(falsePositives, negatives, zeroValue: 0) }
  /// FN / (TP + FN); 0 when there are no positive labels.
  public var falseNegativeRate: Double { Self.rate(falseNegatives, positives, zeroValue: 0) }
  /// TN / (FP + TN), also specificity; 0 when there are no negative labels.
  public var trueNegativeRate: Double { Self.rate(trueNegatives, negatives, zeroValue: 0) }
  /// TP / (TP + FP); 0 when nothing is predicted positive.
  public var precision: Double { Self.rate(truePositives, predictedPositives, zeroValue: 0) }
  /// Recall, the same as the true positive rate.
  public var recall: Double { truePositiveRate }
  /// Specificity, the same as the true negative rate.
  public var specificity: Double { trueNegativeRate }
  /// F1 = 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when TP + FP + FN = 0.
  public var f1: Double { Self.rate(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives, zeroValue: 0) }
  /// Balanced accuracy = (TPR + TNR) / 2 (scikit-learn averages the recall of the classes present).
  public var balancedAccuracy: Double {
    switch (positives > 0, negatives > 0) {
    case (true, true): return (truePositiveRate + trueNegativeRate) / 2
    case (true, false): return truePositiveRate
    case (false, true): return trueNegativeRate
    case (false, false): return .nan
    }
  }
  /// Youden's J = TPR + TNR − 1 (Youden 1950, doi:10.1002/1097-0142(1950)3:1<32::AID-CNCR2820030106>3.0.CO;2-3).
  public var youdenJ: Double { truePositiveRate + trueNegativeRate - 1 }
}
