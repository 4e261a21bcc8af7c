import Foundation
import KilnMetrics
import Testing
@testable import KilnWorkflows

@Suite struct ScoredSplitEvaluationTests {
  @Test func rocPointsRunFromTheOriginToTheCornerThroughEveryDistinctScore() {
    let points = ScoredSplitEvaluation.rocPoints(labels: [1, 0, 1, 0], scores: [0.9, 0.8, 0.4, 0.1])
    #expect(points.map(\.x) == [0, 0, 0.5, 0.5, 1])
    #expect(points.map(\.y) == [0, 0.5, 0.5, 1, 1])
  }

  @Test func tiedScoresMakeOnePoint() {
    let points = ScoredSplitEvaluation.rocPoints(labels: [1, 0, 1], scores: [0.5, 0.5, 0.2])
    #expect(points.count == 3)
    #expect(abs(points[1].x - 1) < 1e-12 && abs(points[1].y - 0.5) < 1e-12)
  }

  @Test func reliabilityBinsAverageTheirPredictions() {
    let bins = ScoredSplitEvaluation.reliability(labels: [0, 1, 1, 1], scores: [0.05, 0.15, 0.95, 0.85], bins: 10)
    #expect(bins.count == 4)
    #expect(abs(bins[0].meanPredicted - 0.05) < 1e-12 && bins[0].observedRate == 0)
  }

  @Test func rocAUCGetsTheAuditsBootstrapInterval() throws {
    var generator = SystemRandomNumberGenerator()
    let labels = (0..<200).map { $0 % 3 == 0 ? 1 : 0 }
    let scores = labels.indices.map { Double(($0 * 37) % 100) / 100 * 0.5 + Double(labels[$0]) * 0.4 }
    let group = SensitiveAttribute(name: "g", values: labels.indices.map { $0 % 2 == 0 ? "a" : "b" })
    let evaluation = try ScoredSplitEvaluation(split: "test", labels: labels, scores: scores, threshold: 0.5, attributes: [group],
                                               intersections: [], minimumGroupSize: 1, bootstrap: BootstrapConfiguration(resamples: 50),
                                               classNames: ["0", "1"], using: &generator)
    let auc = try #require(evaluation.metrics["test.roc_auc"])
    let interval = try #require(auc.interval)
    #expect(interval.lower <= auc.value && auc.value <= interval.upper)
  }

  @Test func metricsAreNamedForGatesAndGroupsForTheCard() throws {
    var generator = SystemRandomNumberGenerator()
    let labels = [0, 1, 0, 1, 1, 0, 1, 0]
    let scores = [0.1, 0.9, 0.3, 0.7, 0.6, 0.4, 0.8, 0.2]
    let sex = SensitiveAttribute(name: "sex", values: ["F", "F", "F", "F", "M", "M", "M", "M"])
    let evaluation = try ScoredSplitEvaluation(split: "test", labels: labels, scores: scores, threshold: 0.5, attributes: [sex],
                                               intersections: [], minimumGroupSize: 1, bootstrap: nil, classNames: ["no", "yes"],
                                               using: &generator)
    #expect(evaluation.metrics["test.accuracy"]?.value == 1)
    #expect(evaluation.metrics["fairness.sex.demographic_parity_difference"] != nil)
    #expect(evaluation.card.groupMetrics.contains { $0.group == "F" && $0.metric == "selection_rate" && $0.count == 4 })
    #expect(evaluation.card.confusion?.counts == [[4, 0], [0, 4]])
  }
}
