import Foundation

/// How per-class precision, recall and F1 are combined (scikit-learn's `average=`).
public typealias MulticlassAverage = ConfusionMatrix.Averaging

extension MulticlassMetrics {
  /// Share of rows whose predicted class is the true class.
  public static func accuracy(labels: [Int], predicted: [Int]) -> Double {
    check(labels, predicted, "accuracy")
    return Double(zip(labels, predicted).filter { $0 == $1 }.count) / Double(labels.count)
  }

  /// Mean recall over the classes present in the labels (scikit-learn's `balanced_accuracy_score`).
  public static func balancedAccuracy(labels: [Int], predicted: [Int], classCount: Int) -> Double {
    matrix(labels, predicted, classCount, "balancedAccuracy").balancedAccuracy
  }

  /// F1 = 2·TP / (2·TP + FP + FN) per class, averaged over the classes present in the labels or
  /// the predictions (scikit-learn's `f1_score(average=…)` without `labels=`; 0/0 counts as 0).
  public static func f1(labels: [Int], predicted: [Int], classCount: Int, average: MulticlassAverage) -> Double {
    matrix(labels, predicted, classCount, "f1").average(.f1, average)
  }

  /// Precision TP / (TP + FP) per class, averaged as `f1` averages (a class never predicted has 0).
  public static func precision(labels: [Int], predicted: [Int], classCount: Int, average: MulticlassAverage) -> Double {
    matrix(labels, predicted, classCount, "precision").average(.precision, average)
  }

  /// Recall TP / (TP + FN) per class, averaged as `f1` averages (a class absent from the labels has 0).
  public static func recall(labels: [Int], predicted: [Int], classCount: Int, average: MulticlassAverage) -> Double {
    matrix(labels, predicted, classCount, "recall").average(.recall, average)
  }

  /// Cross-entropy −(1/n)·Σ log p̂(yᵢ), each probability clipped to [ε, 1 − ε] with ε the
  /// machine epsilon of Double (scikit-learn 1.9's `log_loss` with `labels=range(K)`).
  public static func logLoss(labels: [Int], classProbabilities: [[Double]]) -> Double {
    precondition(labels.count == classProbabilities.count,
                 "logLoss: \(labels.count) labels but \(classProbabilities.count) probability rows")
    precondition(!labels.isEmpty, "logLoss: needs at least one row")
    return weightedLogLoss(labels: labels, classProbabilities: classProbabilities, weights: nil)
  }

  /// The confusion matrix, `[trueClass][predictedClass]`.
  public static func confusionMatrix(labels: [Int], predicted: [Int], classCount: Int) -> [[Int]] {
    ConfusionMatrix(labels: labels, predictions: predicted, classCount: classCount).counts
  }

  /// The log loss with each row counted `weights[row]` times.
  static func weightedLogLoss(labels: [Int], classProbabilities: [[Double]], weights: [Int32]?) -> Double {
    let epsilon = Double.ulpOfOne
    var sum = 0.0, total = 0.0
    for row in labels.indices {
      let weight = weights.map { Double($0[row]) } ?? 1
      guard weight != 0 else { continue }
      let probability = min(max(classProbabilities[row][labels[row]], epsilon), 1 - epsilon)
      sum -= weight * log(probability)
      total += weight
    }
    return total == 0 ? .nan : sum / total
  }

  static func matrix(_ labels: [Int], _ predicted: [Int], _ classCount: Int, _ name: String) -> WeightedConfusionMatrix {
    check(labels, predicted, name)
    for row in labels.indices {
      precondition(labels[row] >= 0 && labels[row] < classCount && predicted[row] >= 0 && predicted[row] < classCount,
                   "\(name): row \(row) has label \(labels[row]) and prediction \(predicted[row]), outside 0..<\(classCount)")
    }
    return WeightedConfusionMatrix(labels: labels, predicted: predicted, classCount: classCount)
  }

  static func check(_ labels: [Int], _ predicted: [Int], _ name: String) {
    precondition(labels.count == predicted.count, "\(name): \(labels.count) labels but \(predicted.count) predictions")
    precondition(!labels.isEmpty, "\(name): needs at least one row")
  }
}
