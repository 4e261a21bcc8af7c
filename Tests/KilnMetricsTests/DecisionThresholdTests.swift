@testable import KilnMetrics
import Testing

// Expected values were computed with scikit-learn 1.9.1 (numpy 2.4.6) on the same arrays:
// accuracy_score, balanced_accuracy_score, precision_score, recall_score, f1_score,
// recall_score(pos_label=0) for specificity, roc_auc_score, average_precision_score,
// auc(*precision_recall_curve(...)[1::-1]) for PR AUC, log_loss, brier_score_loss, roc_curve for
// Youden's J, and a brute-force F1 over every distinct score for the F1 threshold. ECE/MCE have
// no scikit-learn function: they were computed with numpy by binning min(floor(5p), 4) by hand.
@Suite struct DecisionThresholdTests {
  let tolerance = 1e-12

  @Test func thresholdChosenOnValidationMaximisesTheCriterion() {
    let byF1 = DecisionThreshold.chosenOnValidation(.f1).resolved(validationLabels: binaryLabels, validationScores: binaryScores)
    #expect(byF1.threshold == 0.25)
    #expect(abs(byF1.criterionValue - 0.7333333333333333) < tolerance)
    let byYouden = DecisionThreshold.choose(labels: binaryLabels, scores: binaryScores, maximizing: .youdenJ)
    #expect(byYouden.threshold == 0.5)
    #expect(abs(byYouden.criterionValue - 0.4965034965034965) < tolerance)
    let fixed = DecisionThreshold.fixed(0.4).resolved(validationLabels: [], validationScores: [])
    #expect(fixed.threshold == 0.4 && fixed.criterion == nil)
  }
}
