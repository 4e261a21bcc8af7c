@testable import KilnMetrics
import Testing

// Expected values were computed with scikit-learn 1.9.1 (numpy 2.4.6) on the same arrays:
// accuracy_score, balanced_accuracy_score, precision_score, recall_score, f1_score,
// recall_score(pos_label=0) for specificity, roc_auc_score, average_precision_score,
// auc(*precision_recall_curve(...)[1::-1]) for PR AUC, log_loss, brier_score_loss, roc_curve for
// Youden's J, and a brute-force F1 over every distinct score for the F1 threshold. ECE/MCE have
// no scikit-learn function: they were computed with numpy by binning min(floor(5p), 4) by hand.
@Suite struct BinaryClassificationReportTests {
  let tolerance = 1e-12
  var predictions: [Int] { DecisionThreshold.predictions(scores: binaryScores, threshold: 0.4) }

  @Test func binaryReportNamesEveryMetricAndBracketsThresholdMetrics() throws {
    var generator = TestGenerator(seed: 5)
    let report = BinaryClassificationReport(labels: binaryLabels, predictions: predictions, scores: binaryScores,
                                            threshold: ThresholdChoice(threshold: 0.4, criterion: nil, criterionValue: .nan),
                                            calibrationBins: 5, bootstrap: BootstrapConfiguration(resamples: 300), using: &generator)
    let named = report.namedMetrics(split: "test")
    #expect(abs(try #require(named["test.accuracy"]).value - 0.6666666666666666) < tolerance)
    #expect(abs(try #require(named["test.roc_auc"]).value - 0.8181818181818181) < tolerance)
    #expect(abs(try #require(named["test.expected_calibration_error"]).value - 0.11249999999999998) < tolerance)
    #expect(named["test.threshold"]?.value == 0.4)
    let interval = try #require(named["test.f1"]?.interval)
    #expect(interval.lower < 0.6666666666666666 && 0.6666666666666666 < interval.upper)
  }
}
