import Foundation
import KilnMetrics
import KilnNN
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct EvaluationWorkflowTests {
  @Test func evaluatingARunLogsItsMetricsAndStoresEvaluationJSON() throws {
    let fixture = try EvaluationFixture()
    defer { fixture.remove() }
    let layout = ProjectLayout(root: fixture.root)
    let tracker = try Tracker(layout: layout)
    let run = try tracker.startRun(experiment: "toy", options: RunLoggingOptions(heartbeatInterval: nil))
    try run.finish()
    let configuration = fixture.configuration(evaluation: EvaluationFixture.fullEvaluation)
    let result = try EvaluationWorkflow.evaluate(runID: String(run.id.prefix(8)), layout: layout) { record in
      #expect(record.id == run.id)
      return RunModel(model: fixture.model, configuration: configuration, datasetFingerprint: fixture.fingerprint)
    }
    #expect(result.runID == run.id)
    let logged = try tracker.store.latestMetrics(runID: run.id)
    #expect(logged["test.accuracy"]?.value == result.namedMetrics["test.accuracy"]?.value)
    #expect(logged["robustness.fgsm_0.05.accuracy"] != nil)
    #expect(logged["fairness.sex.demographic_parity_difference"] != nil)
    let stored = try EvaluationWorkflow.storedEvaluation(runID: run.id, layout: layout)
    #expect(stored.namedMetrics == result.namedMetrics)
  }

  @Test func anUnknownRunSuggestsListingTheRuns() throws {
    let fixture = try EvaluationFixture(rowCount: 60)
    defer { fixture.remove() }
    let layout = ProjectLayout(root: fixture.root)
    _ = try Tracker(layout: layout)
    #expect {
      _ = try EvaluationWorkflow.evaluate(runID: "feedbeef", layout: layout) { _ -> RunModel<MLP> in
        Issue.record("the model of an unknown run must not be loaded")
        throw EvaluationError(.missingCheckpoint, "unreachable", hint: "")
      }
    } throws: { error in
      "\(error)".contains("feedbeef") && "\(error)".contains("kiln runs list")
    }
  }
}
