import Testing
@testable import KilnDrift

@Suite struct PredictionSampleTests {
  private let thresholds = DriftThresholds(psiThreshold: 0.2, pValue: 0.01)

  @Test func aShiftedPredictedClassMixIsDriftOverTheClassesAndTheSameMixIsStable() throws {
    let reference = [Int32](repeating: 0, count: 300) + [Int32](repeating: 1, count: 300) + [Int32](repeating: 2, count: 300)
    let same = [Int32](repeating: 0, count: 100) + [Int32](repeating: 1, count: 100) + [Int32](repeating: 2, count: 100)
    let shifted = [Int32](repeating: 0, count: 220) + [Int32](repeating: 1, count: 50) + [Int32](repeating: 2, count: 30)
    let stable = try #require(PredictionSample.classes(names: ["a", "b", "c"], reference: reference, current: same).drift(thresholds: thresholds))
    #expect(stable.name == "predicted_class" && stable.kind == .categorical)
    #expect(stable.psi < 1e-9 && stable.verdict == .stable)
    let drift = try #require(PredictionSample.classes(names: ["a", "b", "c"], reference: reference, current: shifted).drift(thresholds: thresholds))
    #expect(Array(drift.bins.prefix(3)) == ["a", "b", "c"])
    #expect(drift.psi > 0.2 && drift.verdict == .drift)
  }

  @Test func shiftedRegressionPredictionsAreDriftAndTheScorePSIThresholdApplies() throws {
    var generator = TestGenerator(seed: 3)
    let reference = (0..<2000).map { _ in generator.normal() }
    let shifted = (0..<1000).map { _ in generator.normal() + 1 }
    let drift = try #require(PredictionSample.values(reference: reference, current: shifted).drift(thresholds: thresholds))
    #expect(drift.name == "prediction" && drift.kind == .numeric)
    #expect(drift.verdict == .drift)
    // The prediction's PSI threshold is score_psi_threshold, not the features' one.
    let lenient = DriftThresholds(psiThreshold: 0.2, pValue: 0.01, scorePSIThreshold: 100)
    #expect(try #require(PredictionSample.values(reference: reference, current: shifted).drift(thresholds: lenient)).verdict != .drift)
  }

  @Test func analyzeReportsThePredictionsInPlaceOfTheScores() {
    let report = DriftAnalysis.analyze(columns: [], predictions: .values(reference: [1, 2, 3, 4], current: [1, 2, 3, 4]),
                                       thresholds: thresholds)
    #expect(report.score?.name == "prediction")
  }
}
