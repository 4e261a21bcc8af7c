import Foundation
import Testing
import KilnReport
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline

@Suite struct CardCurvesTests {
  @Test func rocPointsRunFromTheOriginToTheCornerThroughEveryDistinctScore() {
    let points = CardCurves.rocPoints(labels: [1, 0, 1, 0], scores: [0.9, 0.8, 0.4, 0.1])
    #expect(points.map(\.x) == [0, 0, 0.5, 0.5, 1])
    #expect(points.map(\.y) == [0, 0.5, 0.5, 1, 1])
  }

  @Test func tiedScoresMakeOnePoint() {
    let points = CardCurves.rocPoints(labels: [1, 0, 1], scores: [0.5, 0.5, 0.2])
    #expect(points.count == 3)
    #expect(abs(points[1].x - 1) < 1e-12 && abs(points[1].y - 0.5) < 1e-12)
  }

  @Test func precisionRecallStartsAtTheFirstPrediction() {
    let points = CardCurves.precisionRecallPoints(labels: [1, 0, 1, 0], scores: [0.9, 0.8, 0.4, 0.1])
    #expect(points.first.map { abs($0.x - 0.5) < 1e-12 && abs($0.y - 1) < 1e-12 } == true)
    #expect(points.last.map { abs($0.x - 1) < 1e-12 && abs($0.y - 0.5) < 1e-12 } == true)
  }

  @Test func reliabilityBinsAverageTheirPredictions() {
    let bins = CardCurves.reliability(labels: [0, 1, 1, 1], scores: [0.05, 0.15, 0.95, 0.85], bins: 10)
    #expect(bins.count == 4)
    #expect(abs(bins[0].meanPredicted - 0.05) < 1e-12 && bins[0].observedRate == 0)
  }

  @Test func longCurvesAreThinnedKeepingTheirEnds() {
    let points = (0...1000).map { ModelCardInput.Point(x: Double($0), y: 0) }
    let thinned = CardCurves.thinned(points)
    #expect(thinned.count == CardCurves.maximumPoints)
    #expect(thinned.first?.x == 0 && thinned.last?.x == 1000)
  }
}
