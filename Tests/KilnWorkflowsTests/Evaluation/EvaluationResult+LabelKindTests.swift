import Foundation
import KilnData
import KilnMetrics
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct EvaluationResultLabelKindTests {
  @Test func anEvaluationWrittenBeforeLabelKindsReadsAsBinary() throws {
    var generator = SystemRandomNumberGenerator()
    let performance = BinaryClassificationReport(labels: [0, 1, 1, 0], predictions: [0, 1, 0, 0], using: &generator)
    let result = EvaluationResult(runID: "r", split: "test", rowCount: 4, datasetFingerprint: "f", labelKind: .binary,
                                  threshold: DecisionThreshold.fixed(0.5).resolved(validationLabels: [], validationScores: []),
                                  performance: performance, namedMetrics: performance.namedMetrics(split: "test"))
    var object = try #require(try JSONSerialization.jsonObject(with: try result.storedData()) as? [String: Any])
    object.removeValue(forKey: "label_kind")
    let decoded = try EvaluationResult.decode(JSONSerialization.data(withJSONObject: object))
    #expect(decoded.labelKind == nil && decoded.kind == .binary)
    #expect(decoded.performance == performance)
  }

  @Test func aRegressionEvaluationRoundTripsThroughJSON() throws {
    var generator = SystemRandomNumberGenerator()
    let report = RegressionReport(targets: [1, 2, 3, 5], predictions: [1.5, 2, 2.5, 5.5], bootstrap: BootstrapConfiguration(resamples: 20),
                                  using: &generator)
    let result = EvaluationResult(runID: nil, split: "test", rowCount: 4, datasetFingerprint: "f", labelKind: .regression,
                                  regression: report, notes: ["a note"], namedMetrics: report.namedMetrics(split: "test"))
    let decoded = try EvaluationResult.decode(try result.storedData())
    #expect(decoded == result)
    #expect(decoded.kind == .regression && decoded.threshold == nil)
  }
}
