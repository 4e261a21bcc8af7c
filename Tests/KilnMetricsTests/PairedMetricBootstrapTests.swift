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
