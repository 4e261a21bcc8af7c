@testable import KilnMetrics
import Testing

// Expected values were computed with scikit-learn 1.9.1 (numpy 2.4.6) on the same arrays:
// accuracy_score, balanced_accuracy_score, precision_score, recall_score, f1_score,
// recall_score(pos_label=0) for specificity, roc_auc_score, average_precision_score,
// auc(*precision_recall_curve(...)[1::-1]) for PR AUC, log_loss, brier_score_loss, roc_curve for
// Youden's J, and a brute-force F1 over every distinct score for the F1 threshold. ECE/MCE have
// no scikit-learn function: they were computed with numpy by binning min(floor(5p), 4) by hand.
@Suite struct RankingMetricsTests {
  let tolerance = 1e-12

  @Test func rankingMetricsWithTiedScoresMatchScikitLearn() {
    #expect(abs(RankingMetrics.rocAUC(labels: binaryLabels, scores: binaryScores) - 0.8181818181818181) < tolerance)
    #expect(abs(RankingMetrics.averagePrecision(labels: binaryLabels, scores: binaryScores) - 0.8137222411075493) < tolerance)
    #expect(abs(RankingMetrics.precisionRecallAUC(labels: binaryLabels, scores: binaryScores) - 0.8226536613463156) < tolerance)
  }

  @Test func rocAUCCountsATiedPairAsHalf() {
    // One positive and one negative with equal scores: AUC = 0.5 by hand.
    #expect(RankingMetrics.rocAUC(labels: [1, 0], scores: [0.3, 0.3]) == 0.5)
    // Positive above one negative, tied with another: (1 + 0.5) / 2 = 0.75.
    #expect(RankingMetrics.rocAUC(labels: [1, 0, 0], scores: [0.6, 0.6, 0.1]) == 0.75)
    #expect(RankingMetrics.rocAUC(labels: [1, 1], scores: [0.2, 0.9]).isNaN)
  }
}
