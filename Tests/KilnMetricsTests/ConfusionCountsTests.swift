@testable import KilnMetrics
import Testing

// Expected values were computed with scikit-learn 1.9.1 (numpy 2.4.6) on the same arrays:
// accuracy_score, balanced_accuracy_score, precision_score, recall_score, f1_score,
// recall_score(pos_label=0) for specificity, roc_auc_score, average_precision_score,
// auc(*precision_recall_curve(...)[1::-1]) for PR AUC, log_loss, brier_score_loss, roc_curve for
// Youden's J, and a brute-force F1 over every distinct score for the F1 threshold. ECE/MCE have
// no scikit-learn function: they were computed with numpy by binning min(floor(5p), 4) by hand.
@Suite struct ConfusionCountsTests {
  let tolerance = 1e-12
  var predictions: [Int] { DecisionThreshold.predictions(scores: binaryScores, threshold: 0.4) }

  @Test func thresholdMetricsMatchScikitLearn() {
    let counts = ConfusionCounts(labels: binaryLabels, predictions: predictions)
    #expect(abs(counts.accuracy - 0.6666666666666666) < tolerance)
    #expect(abs(counts.balancedAccuracy - 0.6713286713286714) < tolerance)
    #expect(abs(counts.precision - 0.6153846153846154) < tolerance)
    #expect(abs(counts.recall - 0.7272727272727273) < tolerance)
    #expect(abs(counts.f1 - 0.6666666666666666) < tolerance)
    #expect(abs(counts.specificity - 0.6153846153846154) < tolerance)
  }
}
