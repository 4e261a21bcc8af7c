import Foundation
import Testing
@testable import KilnMetrics

@Suite struct PairedMetricBootstrapTests {
  /// Two models on the same rows: the champion's scores, and a challenger's with its own noise.
  private func twoModels(rows: Int) -> (labels: [Int], champion: PairedMetricBootstrap.Model, challenger: PairedMetricBootstrap.Model) {
    let data = SyntheticPredictions(rows: rows, seed: 11)
    var generator = TestGenerator(seed: 12)
    let challengerScores = zip(data.labels, data.scores).map { label, score in
      min(max(score + 0.15 * Double(label) - 0.05 + 0.2 * (Double.random(in: 0..<1, using: &generator) - 0.5), 0), 1)
    }
    return (data.labels, .init(predictions: data.predictions, scores: data.scores),
            .init(predictions: challengerScores.map { $0 >= 0.5 ? 1 : 0 }, scores: challengerScores))
  }

  private func report(_ labels: [Int], _ model: PairedMetricBootstrap.Model) -> BinaryClassificationReport {
    var generator = TestGenerator(seed: 0)
    return BinaryClassificationReport(labels: labels, predictions: model.predictions, scores: model.scores, using: &generator)
  }

  @Test func everyDeltaIntervalContainsThePointDelta() {
    let (labels, champion, challenger) = twoModels(rows: 800)
    var generator = TestGenerator(seed: 3)
    let intervals = PairedMetricBootstrap(labels: labels, champion: champion, challenger: challenger)
      .deltaIntervals(configuration: BootstrapConfiguration(resamples: 400), using: &generator)
    let championMetrics = report(labels, champion).metrics, challengerMetrics = report(labels, challenger).metrics
    #expect(Set(intervals.keys) == Set(championMetrics.keys))
    #expect(intervals.count >= 14)
    for (name, interval) in intervals {
      let delta = challengerMetrics[name]!.value - championMetrics[name]!.value
      #expect(interval.lower <= delta && delta <= interval.upper, "\(name): \(delta) outside [\(interval.lower), \(interval.upper)]")
      #expect(interval.lower < interval.upper, "\(name): a zero-width interval for two different models")
    }
    // The challenger ranks better by construction: its ROC AUC gain is clear of zero.
    #expect(intervals["roc_auc"]!.lower > 0)
  }

  @Test func identicalModelsGiveZeroWidthIntervalsAtZero() {
    let (labels, champion, _) = twoModels(rows: 500)
    var generator = TestGenerator(seed: 4)
    let intervals = PairedMetricBootstrap(labels: labels, champion: champion, challenger: champion)
      .deltaIntervals(configuration: BootstrapConfiguration(resamples: 200), using: &generator)
    #expect(intervals.count >= 14)
    for (name, interval) in intervals {
      #expect(interval.lower == 0 && interval.upper == 0, "\(name): [\(interval.lower), \(interval.upper)]")
    }
  }

  @Test func theSameSeedGivesTheSameIntervalsAndAnotherSeedOthers() {
    let (labels, champion, challenger) = twoModels(rows: 300)
    let bootstrap = PairedMetricBootstrap(labels: labels, champion: champion, challenger: challenger)
    func intervals(seed: UInt64) -> [String: ConfidenceInterval] {
      var generator = TestGenerator(seed: seed)
      return bootstrap.deltaIntervals(configuration: BootstrapConfiguration(resamples: 150), using: &generator)
    }
    #expect(intervals(seed: 9) == intervals(seed: 9))
    #expect(intervals(seed: 9)["accuracy"] != intervals(seed: 10)["accuracy"])
  }
}

/// The paired bootstrap for two multi-class classifiers and for two regressors.
@Suite struct PairedMetricBootstrapLabelKindTests {
  /// Labels in 0..<3 and two models' class probabilities: the challenger puts more mass on the true class.
  private func multiclassModels(rows: Int) -> (labels: [Int], champion: [[Double]], challenger: [[Double]]) {
    var generator = TestGenerator(seed: 21)
    var labels: [Int] = [], champion: [[Double]] = [], challenger: [[Double]] = []
    for _ in 0..<rows {
      let label = Int.random(in: 0..<3, using: &generator)
      labels.append(label)
      for (boost, list) in [(0.6, 0), (1.6, 1)] {
        var logits = (0..<3).map { _ in Double.random(in: 0..<2, using: &generator) }
        logits[label] += boost
        let exps = logits.map { Foundation.exp($0) }, total = exps.reduce(0, +)
        if list == 0 { champion.append(exps.map { $0 / total }) } else { challenger.append(exps.map { $0 / total }) }
      }
    }
    return (labels, champion, challenger)
  }

  private func regressionModels(rows: Int) -> (targets: [Double], champion: [Double], challenger: [Double]) {
    var generator = TestGenerator(seed: 22)
    let targets = (0..<rows).map { _ in Double.random(in: -3..<3, using: &generator) }
    let champion = targets.map { $0 + Double.random(in: -1..<1, using: &generator) }
    let challenger = targets.map { $0 + Double.random(in: -0.3..<0.3, using: &generator) }
    return (targets, champion, challenger)
  }

  @Test func multiclassDeltaIntervalsContainThePointDeltasAndFavourTheBetterModel() {
    let (labels, champion, challenger) = multiclassModels(rows: 600)
    var generator = TestGenerator(seed: 5)
    let intervals = PairedMetricBootstrap(labels: labels, championProbabilities: champion, challengerProbabilities: challenger, classCount: 3)
      .deltaIntervals(configuration: BootstrapConfiguration(resamples: 300), using: &generator)
    #expect(Set(intervals.keys) == Set(MulticlassClassificationReport.metricNames))
    var reportGenerator = TestGenerator(seed: 0)
    let before = MulticlassClassificationReport(labels: labels, classProbabilities: champion, classNames: ["a", "b", "c"], using: &reportGenerator)
    let after = MulticlassClassificationReport(labels: labels, classProbabilities: challenger, classNames: ["a", "b", "c"], using: &reportGenerator)
    for (name, interval) in intervals {
      let delta = after.metrics[name]!.value - before.metrics[name]!.value
      #expect(interval.lower - 1e-12 <= delta && delta <= interval.upper + 1e-12, "\(name): \(delta) outside [\(interval.lower), \(interval.upper)]")
    }
    #expect(intervals["accuracy"]!.lower > 0)
    #expect(intervals["log_loss"]!.upper < 0)
  }

  @Test func identicalMulticlassModelsGiveZeroWidthIntervalsAtZero() {
    let (labels, champion, _) = multiclassModels(rows: 300)
    var generator = TestGenerator(seed: 6)
    let intervals = PairedMetricBootstrap(labels: labels, championProbabilities: champion, challengerProbabilities: champion, classCount: 3)
      .deltaIntervals(configuration: BootstrapConfiguration(resamples: 100), using: &generator)
    #expect(intervals.count == MulticlassClassificationReport.metricNames.count)
    for (name, interval) in intervals { #expect(interval.lower == 0 && interval.upper == 0, "\(name): [\(interval.lower), \(interval.upper)]") }
  }

  @Test func regressionDeltaIntervalsContainThePointDeltasAndFavourTheBetterModel() {
    let (targets, champion, challenger) = regressionModels(rows: 500)
    var generator = TestGenerator(seed: 7)
    let intervals = PairedMetricBootstrap(targets: targets, championPredictions: champion, challengerPredictions: challenger)
      .deltaIntervals(configuration: BootstrapConfiguration(resamples: 300), using: &generator)
    #expect(Set(intervals.keys) == Set(RegressionReport.metricNames))
    let delta = RegressionMetrics.rootMeanSquaredError(targets: targets, predictions: challenger)
      - RegressionMetrics.rootMeanSquaredError(targets: targets, predictions: champion)
    #expect(intervals["rmse"]!.lower - 1e-12 <= delta && delta <= intervals["rmse"]!.upper + 1e-12)
    #expect(intervals["rmse"]!.upper < 0 && intervals["mae"]!.upper < 0 && intervals["r2"]!.lower > 0)
  }

  @Test func identicalRegressorsGiveZeroWidthIntervalsAtZero() {
    let (targets, champion, _) = regressionModels(rows: 200)
    var generator = TestGenerator(seed: 8)
    let intervals = PairedMetricBootstrap(targets: targets, championPredictions: champion, challengerPredictions: champion)
      .deltaIntervals(configuration: BootstrapConfiguration(resamples: 100), using: &generator)
    #expect(intervals.count == RegressionReport.metricNames.count)
    for (name, interval) in intervals { #expect(interval.lower == 0 && interval.upper == 0, "\(name): [\(interval.lower), \(interval.upper)]") }
  }
}
