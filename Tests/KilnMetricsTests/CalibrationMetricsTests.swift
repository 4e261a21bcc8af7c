@testable import KilnMetrics
import Testing

// Expected values were computed with scikit-learn 1.9.1 (numpy 2.4.6) on the same arrays:
// accuracy_score, balanced_accuracy_score, precision_score, recall_score, f1_score,
// recall_score(pos_label=0) for specificity, roc_auc_score, average_precision_score,
// auc(*precision_recall_curve(...)[1::-1]) for PR AUC, log_loss, brier_score_loss, roc_curve for
// Youden's J, and a brute-force F1 over every distinct score for the F1 threshold. ECE/MCE have
// no scikit-learn function: they were computed with numpy by binning min(floor(5p), 4) by hand.
@Suite struct CalibrationMetricsTests {
  let tolerance = 1e-12

  @Test func calibrationMetricsMatchScikitLearnAndHandBinning() {
    #expect(abs(CalibrationMetrics.logLoss(labels: binaryLabels, probabilities: binaryScores) - 0.4912219729410004) < tolerance)
    #expect(abs(CalibrationMetrics.brierScore(labels: binaryLabels, probabilities: binaryScores) - 0.16749999999999998) < tolerance)
    let errors = CalibrationMetrics.calibrationErrors(labels: binaryLabels, probabilities: binaryScores, bins: 5)
    #expect(abs(errors.expected - 0.11249999999999998) < tolerance)
    #expect(abs(errors.maximum - 0.16249999999999987) < tolerance)
  }
}
