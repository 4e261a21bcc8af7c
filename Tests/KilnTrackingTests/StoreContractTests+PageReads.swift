import Foundation
import Testing
@testable import KilnTracking

extension StoreContractTests {
  /// The reads a browser page makes: a series reduced for drawing, the audit log filtered and
  /// paged, and a page of runs' parameters and inputs at once.
  @Suite struct PageReads {
    @Test(arguments: StoreFactory.all) func aShortSeriesIsReadWholeAndAfterAStep(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let run = try tracker.startRun(experiment: "adult")
      for step in 1...10 { try run.log("loss", value: 1 / Double(step), step: step) }
      try run.flush()
      let series = try tracker.store.metricSeries(runID: run.id, key: "loss", afterStep: nil, buckets: 5)
      #expect(!series.isReduced && series.count == 10)
      #expect(series.samples.map(\.step) == Array(1...10))
      #expect(series.samples[3].value == 0.25)
      let newer = try tracker.store.metricSeries(runID: run.id, key: "loss", afterStep: 8, buckets: 5)
      #expect(newer.count == 2 && newer.samples == [MetricSeries.Sample(step: 9, value: 1.0 / 9), MetricSeries.Sample(step: 10, value: 0.1)])
      #expect(try tracker.store.metricSeries(runID: run.id, key: "loss", afterStep: 10, buckets: 5).samples.isEmpty)
      #expect(try tracker.store.metricSeries(runID: run.id, key: "missing", afterStep: nil, buckets: 5).count == 0)
    }

    @Test(arguments: StoreFactory.all) func aLongSeriesKeepsEachBucketsExtremesInTheirOrder(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let run = try tracker.startRun(experiment: "adult")
      // Steps 0…99 in 4 buckets of 25: falling in the first, rising in the second, a spike late
      // in the third (at step 70, so the bucket rises), flat at 1 in the fourth.
      let values = (0..<100).map { step -> Double in
        switch step {
        case 0..<25: return Double(100 - step)
        case 25..<50: return Double(step)
        case 70: return 500
        default: return step < 75 ? 2 : 1
        }
      }
      for (step, value) in values.enumerated() { try run.log("loss", value: value, step: step) }
      try run.flush()
      let series = try tracker.store.metricSeries(runID: run.id, key: "loss", afterStep: nil, buckets: 4)
      #expect(series.isReduced && series.count == 100)
      let expected: [(Int64, Double)] = [(0, 100), (24, 76), (25, 25), (49, 49), (50, 2), (74, 500), (75, 1), (99, 1)]
      #expect(series.samples == expected.map { MetricSeries.Sample(step: $0.0, value: $0.1) }, "\(series.samples)")
      let tail = try tracker.store.metricSeries(runID: run.id, key: "loss", afterStep: 49, buckets: 2)
      #expect(tail.isReduced && tail.count == 50 && tail.samples.first?.step == 50 && tail.samples.last?.step == 99)
    }

    @Test(arguments: StoreFactory.all) func auditEventsAreFilteredAndPagedByTheStore(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let store = tracker.store
      let first = try tracker.startRun(experiment: "adult")
      try first.finish(.finished)
      let second = try tracker.startRun(experiment: "adult")
      try store.appendAuditEvent(kind: .gateEvaluated, runID: second.id, payload: .object(["model": .string("income"), "note": .string("Passed ALL")]), at: Date())
      try store.appendAuditEvent(kind: .gateEvaluated, runID: nil, payload: .object(["model": .string("income-v2")]), at: Date())
      let all = try store.auditEvents()
      #expect(try store.auditEvents(matching: AuditEventQuery()) == all)
      #expect(try store.auditEvents(matching: AuditEventQuery(newestFirst: true, limit: 2)) == Array(all.reversed().prefix(2)))
      #expect(try store.auditEvents(matching: AuditEventQuery(newestFirst: true, limit: 2, offset: 2)) == Array(all.reversed().dropFirst(2).prefix(2)))
      #expect(try store.auditEvents(matching: AuditEventQuery(kind: .runStarted)).map(\.runID) == [first.id, second.id])
      #expect(try store.auditEvents(matching: AuditEventQuery(runIDPrefix: String(first.id.prefix(6)))).allSatisfy { $0.runID == first.id })
      #expect(try store.auditEvents(matching: AuditEventQuery(runIDPrefix: first.id.uppercased())).isEmpty)
      let named = try store.auditEvents(matching: AuditEventQuery(model: "income"))
      #expect(named.count == 1 && named[0].runID == second.id, "the model's own events, not another model's whose name it begins")
      #expect(try store.auditEvents(matching: AuditEventQuery(text: "passed all")).map(\.sequence) == [named[0].sequence])
      #expect(try store.auditEvents(matching: AuditEventQuery(text: "%")).isEmpty, "text is matched as it is, not as a pattern")
      #expect(try store.auditEvents(matching: AuditEventQuery(sequence: 2)).map(\.sequence) == [2])
      #expect(try store.auditEventCount(matching: AuditEventQuery(kind: .gateEvaluated)) == 2)
      #expect(try store.auditEventCount(matching: AuditEventQuery(kind: .gateEvaluated, limit: 1)) == 2)
      #expect(try store.auditEventKinds() == [.gateEvaluated, .runFinished, .runStarted])
    }

    @Test(arguments: StoreFactory.all) func aPageOfRunsReadsItsParametersAndInputsAtOnce(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let runs = try (0..<3).map { index in
        try tracker.startRun(experiment: "adult", configuration: RunConfiguration(json: .object(["batch": .number(Double(index))])))
      }
      let store = tracker.store
      try store.setParameters(runID: runs[0].id, ["a": "1", "b": "2"], replacing: false)
      try store.setParameters(runID: runs[2].id, ["a": "3"], replacing: false)
      try store.insertDatasetInput(DatasetReference(name: "adult", version: "1", fingerprint: "f1", split: "train"), runID: runs[2].id)
      let ids = runs.map(\.id)
      let parameters = try store.parameters(runIDs: ids)
      for id in ids { #expect(parameters[id] ?? [:] == (try store.parameters(runID: id)), "\(id)") }
      let inputs = try store.datasetInputs(runIDs: ids)
      #expect(inputs[runs[2].id] == (try store.datasetInputs(runID: runs[2].id)) && inputs[runs[0].id] == nil)
      #expect(try store.parameters(runIDs: []).isEmpty)
    }
  }
}
