@testable import KilnMetrics
import Testing

// Expected values were computed with scikit-learn 1.9.1 (numpy 2.4.6) on the same arrays:
// accuracy_score, balanced_accuracy_score, precision_score, recall_score, f1_score,
// recall_score(pos_label=0) for specificity, roc_auc_score, average_precision_score,
// auc(*precision_recall_curve(...)[1::-1]) for PR AUC, log_loss, brier_score_loss, roc_curve for
// Youden's J, and a brute-force F1 over every distinct score for the F1 threshold. ECE/MCE have
// no scikit-learn function: they were computed with numpy by binning min(floor(5p), 4) by hand.
let binaryLabels = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0]
let binaryScores = [0.9, 0.1, 0.8, 0.35, 0.4, 0.35, 0.7, 0.2, 0.55, 0.6, 0.05, 0.35, 0.95, 0.5, 0.65, 0.3,
                    0.45, 0.15, 0.5, 0.85, 0.7, 0.25, 0.35, 0.0]

@Suite struct ClassificationMetricsTests {
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

  @Test func calibrationMetricsMatchScikitLearnAndHandBinning() {
    #expect(abs(CalibrationMetrics.logLoss(labels: binaryLabels, probabilities: binaryScores) - 0.4912219729410004) < tolerance)
    #expect(abs(CalibrationMetrics.brierScore(labels: binaryLabels, probabilities: binaryScores) - 0.16749999999999998) < tolerance)
    let errors = CalibrationMetrics.calibrationErrors(labels: binaryLabels, probabilities: binaryScores, bins: 5)
    #expect(abs(errors.expected - 0.11249999999999998) < tolerance)
    #expect(abs(errors.maximum - 0.16249999999999987) < tolerance)
  }

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

@Suite struct RegressionMetricsTests {
  // scikit-learn 1.9.1: mean_squared_error, mean_absolute_error, r2_score.
  let targets = [3.0, -0.5, 2.0, 7.0, 4.2, 1.1, 0.0, 5.5]
  let predictions = [2.5, 0.0, 2.1, 7.8, 3.9, 1.0, -0.4, 6.0]

  @Test func errorsAndRSquaredMatchScikitLearn() {
    #expect(abs(RegressionMetrics.meanSquaredError(targets: targets, predictions: predictions) - 0.2075) < 1e-12)
    #expect(abs(RegressionMetrics.meanAbsoluteError(targets: targets, predictions: predictions) - 0.4) < 1e-12)
    #expect(abs(RegressionMetrics.rSquared(targets: targets, predictions: predictions) - 0.9662524459353002) < 1e-12)
  }

  @Test func rSquaredOfConstantTargetsIsOneOnlyWhenExact() {
    #expect(RegressionMetrics.rSquared(targets: [2, 2], predictions: [2, 2]) == 1)
    #expect(RegressionMetrics.rSquared(targets: [2, 2], predictions: [2, 3]) == 0)
  }
}
