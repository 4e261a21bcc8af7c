@testable import KilnMetrics
import Testing

@Suite struct ConfusionMatrixTests {
  // scikit-learn 1.9.1: confusion_matrix, accuracy_score, balanced_accuracy_score,
  // precision/recall/f1_score(average=...), multilabel_confusion_matrix for specificity,
  // roc_auc_score(multi_class="ovr", average="macro"), log_loss.
  let labels = [0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 2, 0, 1, 2, 0, 2, 2]
  let predictions = [0, 2, 2, 1, 1, 0, 1, 2, 1, 0, 2, 0, 1, 2, 2, 2, 1]
  let probabilities: [[Double]] = [
    [0.7, 0.2, 0.1], [0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1],
    [0.4, 0.5, 0.1], [0.2, 0.2, 0.6], [0.3, 0.6, 0.1], [0.5, 0.4, 0.1], [0.1, 0.1, 0.8], [0.8, 0.1, 0.1],
    [0.2, 0.7, 0.1], [0.25, 0.25, 0.5], [0.3, 0.3, 0.4], [0.1, 0.2, 0.7], [0.5, 0.2, 0.3],
  ]
  let tolerance = 1e-12

  @Test func countsAndAveragesMatchScikitLearn() {
    let matrix = ConfusionMatrix(labels: labels, predictions: predictions, classCount: 3)
    #expect(matrix.counts == [[3, 1, 1], [1, 3, 1], [0, 2, 5]])
    #expect(abs(matrix.accuracy - 0.6470588235294118) < tolerance)
    #expect(abs(matrix.balancedAccuracy - 0.638095238095238) < tolerance)
    let expected: [(ConfusionMatrix.Averaging, [Double])] = [
      (.macro, [0.6547619047619048, 0.638095238095238, 0.6421356421356421]),
      (.micro, [0.6470588235294118, 0.6470588235294118, 0.6470588235294118]),
      (.weighted, [0.6617647058823529, 0.6470588235294118, 0.6506238859180036]),
    ]
    for (averaging, values) in expected {
      #expect(abs(matrix.average(.precision, by: averaging) - values[0]) < tolerance, "\(averaging) precision")
      #expect(abs(matrix.average(.recall, by: averaging) - values[1]) < tolerance, "\(averaging) recall")
      #expect(abs(matrix.average(.f1, by: averaging) - values[2]) < tolerance, "\(averaging) f1")
    }
    #expect(abs(matrix.average(.specificity, by: .macro) - 0.8222222222222223) < tolerance)
  }

  @Test func multiclassScoreMetricsMatchScikitLearn() {
    #expect(abs(MulticlassMetrics.rocAUCOneVersusRest(labels: labels, classProbabilities: probabilities) - 0.9257936507936507) < tolerance)
    #expect(abs(CalibrationMetrics.logLoss(labels: labels, classProbabilities: probabilities) - 0.645307480153384) < tolerance)
    #expect(MulticlassMetrics.predictedClasses([[0.2, 0.5, 0.3], [0.4, 0.4, 0.2]]) == [1, 0])
  }
}

