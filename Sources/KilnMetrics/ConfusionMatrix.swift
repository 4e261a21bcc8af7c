/// A multi-class confusion matrix (rows: true class, columns: predicted class) and the metrics
/// derived from it, with scikit-learn's conventions: a per-class precision or recall whose
/// denominator is zero is 0 (`zero_division=0`).
public struct ConfusionMatrix: Sendable, Equatable, Codable {
  /// Number of classes; labels are `0..<classCount`.
  public let classCount: Int
  /// `counts[trueClass][predictedClass]`.
  public let counts: [[Int]]

  /// Counts paired labels and predictions in `0..<classCount`.
  public init(labels: [Int], predictions: [Int], classCount: Int) {
    precondition(labels.count == predictions.count, "ConfusionMatrix: \(labels.count) labels but \(predictions.count) predictions")
    precondition(classCount >= 2, "ConfusionMatrix: classCount is \(classCount); it must be at least 2")
    var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
    for (row, (label, prediction)) in zip(labels, predictions).enumerated() {
      precondition(label >= 0 && label < classCount && prediction >= 0 && prediction < classCount,
                   "ConfusionMatrix: row \(row) has label \(label) and prediction \(prediction), outside 0..<\(classCount)")
      counts[label][prediction] += 1
    }
    self.classCount = classCount
    self.counts = counts
  }

  /// Total rows.
  public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

  /// The one-vs-rest confusion counts of `positiveClass`.
  public func oneVersusRest(_ positiveClass: Int) -> ConfusionCounts {
    let truePositives = counts[positiveClass][positiveClass]
    let support = counts[positiveClass].reduce(0, +)
    let predicted = counts.reduce(0) { $0 + $1[positiveClass] }
    return ConfusionCounts(truePositives: truePositives, falsePositives: predicted - truePositives,
                           trueNegatives: total - support - predicted + truePositives, falseNegatives: support - truePositives)
  }

  /// Rows whose true class is `classIndex`.
  public func support(_ classIndex: Int) -> Int { counts[classIndex].reduce(0, +) }

  /// Share of rows on the diagonal.
  public var accuracy: Double {
    Double((0..<classCount).reduce(0) { $0 + counts[$1][$1] }) / Double(total)
  }

  /// Mean recall over the classes present in the labels (scikit-learn's `balanced_accuracy_score`).
  public var balancedAccuracy: Double {
    let present = (0..<classCount).filter { support($0) > 0 }
    return present.map { oneVersusRest($0).recall }.reduce(0, +) / Double(present.count)
  }

  /// A per-class metric.
  public enum ClassMetric: String, CaseIterable, Codable, Sendable {
    case precision, recall, f1, specificity
  }

  /// The metric for each class, one versus rest.
  public func perClass(_ metric: ClassMetric) -> [Double] {
    (0..<classCount).map { classIndex in
      let counts = oneVersusRest(classIndex)
      switch metric {
      case .precision: return counts.precision
      case .recall: return counts.recall
      case .f1: return counts.f1
      case .specificity: return counts.specificity
      }
    }
  }

  /// How per-class values are combined.
  public enum Averaging: String, CaseIterable, Codable, Sendable {
    /// Unweighted mean over classes.
    case macro
    /// The metric of the summed one-vs-rest counts (for precision, recall and F1 this is accuracy).
    case micro
    /// Mean over classes weighted by support.
    case weighted
  }

  /// The metric averaged over classes (scikit-learn's `average=` for precision, recall and F1).
  public func average(_ metric: ClassMetric, by averaging: Averaging) -> Double {
    switch averaging {
    case .macro:
      return perClass(metric).reduce(0, +) / Double(classCount)
    case .weighted:
      let values = perClass(metric)
      let weighted = (0..<classCount).reduce(0.0) { $0 + values[$1] * Double(support($1)) }
      return weighted / Double(total)
    case .micro:
      let summed = (0..<classCount).map(oneVersusRest).reduce(ConfusionCounts(), +)
      switch metric {
      case .precision: return summed.precision
      case .recall: return summed.recall
      case .f1: return summed.f1
      case .specificity: return summed.specificity
      }
    }
  }
}
