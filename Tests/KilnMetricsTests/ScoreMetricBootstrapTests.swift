import KilnRandom
import Testing
@testable import KilnMetrics

@Suite struct ScoreMetricBootstrapTests {
  private let labels = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1]
  private let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.4, 0.7, 0.05, 0.6, 0.55, 0.3, 0.3, 0.65]

  @Test func unitWeightsReproduceThePlainMetricsIncludingTies() {
    let bootstrap = ScoreMetricBootstrap(labels: labels, scores: scores)
    let values = bootstrap.weightedMeans([Int32](repeating: 1, count: labels.count))
    #expect(abs(values.logLoss - CalibrationMetrics.logLoss(labels: labels, probabilities: scores)) < 1e-12)
    #expect(abs(values.brier - CalibrationMetrics.brierScore(labels: labels, probabilities: scores)) < 1e-12)
    let precision = bootstrap.precisionRecall([Int32](repeating: 1, count: labels.count))
    #expect(abs(precision.averagePrecision - RankingMetrics.averagePrecision(labels: labels, scores: scores)) < 1e-12)
    #expect(abs(precision.area - RankingMetrics.precisionRecallAUC(labels: labels, scores: scores)) < 1e-12)
  }

  @Test func zeroWeightsActAsIfTheRowsWereAbsent() {
    let bootstrap = ScoreMetricBootstrap(labels: labels, scores: scores)
    // Drop the rows at original positions 0, 5 and 9 by weight, and by removal.
    let dropped: Set<Int> = [0, 5, 9]
    let weights = bootstrap.ranking.sorted(labels.indices.map { dropped.contains($0) ? Int32(0) : 1 })
    let keptLabels = labels.indices.filter { !dropped.contains($0) }.map { labels[$0] }
    let keptScores = scores.indices.filter { !dropped.contains($0) }.map { scores[$0] }
    let precision = bootstrap.precisionRecall(weights)
    #expect(abs(precision.averagePrecision - RankingMetrics.averagePrecision(labels: keptLabels, scores: keptScores)) < 1e-12)
    #expect(abs(precision.area - RankingMetrics.precisionRecallAUC(labels: keptLabels, scores: keptScores)) < 1e-12)
    #expect(abs(bootstrap.ranking.rocAUC(sortedCodes: nil, groupCount: 1, sortedWeights: weights)[0]
                - RankingMetrics.rocAUC(labels: keptLabels, scores: keptScores)) < 1e-12)
    #expect(abs(bootstrap.weightedMeans(weights).brier - CalibrationMetrics.brierScore(labels: keptLabels, probabilities: keptScores)) < 1e-12)
  }

  @Test func doubledWeightsLeaveTheMetricsUnchanged() {
    let bootstrap = ScoreMetricBootstrap(labels: labels, scores: scores)
    let once = bootstrap.weightedMeans([Int32](repeating: 1, count: labels.count))
    let twice = bootstrap.weightedMeans([Int32](repeating: 2, count: labels.count))
    #expect(abs(once.brier - twice.brier) < 1e-12)
    #expect(abs(once.logLoss - twice.logLoss) < 1e-12)
    let precisionOnce = bootstrap.precisionRecall([Int32](repeating: 1, count: labels.count))
    let precisionTwice = bootstrap.precisionRecall([Int32](repeating: 2, count: labels.count))
    #expect(abs(precisionOnce.averagePrecision - precisionTwice.averagePrecision) < 1e-12)
  }

  @Test func intervalsAreSeededAndBracketThePointEstimate() {
    var sourceA = TestGenerator(seed: 9), sourceB = TestGenerator(seed: 9)
    var generatorA = SeededGenerator(seededFrom: &sourceA)
    var generatorB = SeededGenerator(seededFrom: &sourceB)
    let bootstrap = ScoreMetricBootstrap(labels: labels, scores: scores)
    let a = bootstrap.intervals(resamples: 500, level: 0.9, calibrationBins: 5, generator: &generatorA)
    let b = bootstrap.intervals(resamples: 500, level: 0.9, calibrationBins: 5, generator: &generatorB)
    #expect(a == b)
    let auc = RankingMetrics.rocAUC(labels: labels, scores: scores)
    let interval = a["roc_auc"]!
    #expect(interval.lower <= auc && auc <= interval.upper)
    #expect(interval.upper - interval.lower > 0.05)
  }

  @Test func theReportCarriesScoreMetricIntervals() {
    var generator = TestGenerator(seed: 3)
    let report = BinaryClassificationReport(labels: labels, predictions: scores.map { $0 >= 0.5 ? 1 : 0 }, scores: scores,
                                            bootstrap: BootstrapConfiguration(resamples: 200, confidenceLevel: 0.95), using: &generator)
    #expect(report.metrics["roc_auc"]?.interval != nil)
    #expect(report.metrics["log_loss"]?.interval != nil)
    for name in ["brier_score", "average_precision", "pr_auc", "expected_calibration_error", "maximum_calibration_error"] {
      #expect(report.metrics[name]?.interval != nil, "\(name)")
    }
  }
}
