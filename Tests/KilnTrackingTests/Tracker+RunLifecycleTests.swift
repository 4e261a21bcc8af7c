import Foundation
import Testing
@testable import KilnTracking

extension StoreContractTests {
  @Suite struct RunLifecycle {
    let configuration = RunConfiguration(json: .object([
      "training": .object(["batch_size": .number(256), "optimizer": .object(["lr": .number(0.001), "kind": .string("adam")])]),
      "model": .object(["hidden": .array([.number(64), .number(64)])]),
    ]))

    @Test(arguments: StoreFactory.all) func startingARunStoresFlattenedParametersAndTheConfigurationHash(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let run = try tracker.startRun(experiment: "adult", name: "first", configuration: configuration, seed: 7,
                                     commandLine: ["kiln", "train"], sourceVersion: SourceVersion(commit: "abc123", isDirty: true))
      let record = try tracker.run(id: run.id)
      #expect(record.status == .running)
      #expect(record.seed == 7)
      #expect(record.commandLine == ["kiln", "train"])
      #expect(record.sourceVersion == SourceVersion(commit: "abc123", isDirty: true))
      #expect(record.configurationHash == configuration.hash)
      #expect(record.configurationHash.count == 64)
      let parameters = try tracker.store.parameters(runID: run.id)
      #expect(parameters["training.batch_size"] == "256")
      #expect(parameters["training.optimizer.lr"] == "0.001")
      #expect(parameters["training.optimizer.kind"] == "adam")
      #expect(parameters["model.hidden"] == "[64,64]")
    }

    @Test(arguments: StoreFactory.all) func loggedMetricsAreDurableAfterFlushAndKeepTheirHistory(_ kind: StoreFactory) throws {
      let directory = try temporaryStoreDirectory()
      let tracker = try kind.tracker(in: directory)
      let run = try tracker.startRun(experiment: "adult", options: RunLoggingOptions(flushThreshold: 1_000))
      for step in 0..<10 { try run.log("train.loss", value: 1.0 / Double(step + 1), step: step) }
      try run.log(metrics: ["test.accuracy": 0.8, "test.roc_auc": 0.9], step: 9)
      #expect(try tracker.store.metricPointCount(runID: run.id) == 0)
      try run.flush()
      let reopened = try kind.tracker(in: directory)
      let history = try reopened.metricHistory(runID: run.id, key: "train.loss")
      #expect(history.map(\.step) == Array(0..<10).map(Int64.init))
      #expect(abs(history[9].value - 0.1) < 1e-12)
      let latest = try reopened.store.latestMetrics(runID: run.id)
      #expect(latest["test.accuracy"]?.value == 0.8)
      #expect(abs((latest["train.loss"]?.value ?? 0) - 0.1) < 1e-12)
    }

    @Test(arguments: StoreFactory.all) func finishingARunFlushesAndRecordsItsStatus(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let run = try tracker.startRun(experiment: "adult")
      try run.log("loss", value: 0.5, step: 1)
      try run.finish(.failed)
      let record = try tracker.run(id: run.id)
      #expect(record.status == .failed)
      #expect(record.endTime != nil)
      #expect(try tracker.store.metricPointCount(runID: run.id) == 1)
    }

    @Test(arguments: StoreFactory.all) func childRunsAreFoundFromTheirParent(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let parent = try tracker.startRun(experiment: "sweep")
      let first = try tracker.startRun(experiment: "sweep", name: "trial-0", parent: parent.id)
      let second = try tracker.startRun(experiment: "sweep", name: "trial-1", parent: parent.id)
      #expect(Set(try tracker.children(of: parent.id).map(\.id)) == [first.id, second.id])
      #expect(try tracker.run(id: first.id).parentID == parent.id)
    }

    @Test(arguments: StoreFactory.all) func anUnknownRunIDIsNamedWithAHint(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let error = #expect(throws: TrackingError.self) { try tracker.run(id: "feedbeef") }
      #expect(error?.message.contains("feedbeef") == true)
      #expect(error?.hint?.contains("kiln runs list") == true)
    }

    @Test(arguments: StoreFactory.all) func aUniqueIDPrefixFindsTheRun(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let run = try tracker.startRun(experiment: "adult")
      #expect(try tracker.run(id: String(run.id.prefix(8))).id == run.id)
    }

    @Test(arguments: StoreFactory.all) func laterParametersDoNotOverwriteTheConfiguration(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let run = try tracker.startRun(experiment: "sweep", configuration: configuration)
      try run.logParameters(["training.batch_size": "64", "sampler": "tpe"])
      let parameters = try tracker.store.parameters(runID: run.id)
      #expect(parameters["training.batch_size"] == "256")
      #expect(parameters["sampler"] == "tpe")
      #expect(try tracker.experiments().map(\.name) == ["sweep"])
    }

    @Test(arguments: StoreFactory.all) func datasetLineageAndTagsAreRecorded(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let run = try tracker.startRun(experiment: "adult")
      let dataset = DatasetReference(name: "adult", version: "1", fingerprint: String(repeating: "a", count: 64), split: "train")
      try run.recordInput(dataset: dataset)
      try run.setTag("stage", "candidate")
      try run.setTag("stage", "champion")
      #expect(try tracker.store.datasetInputs(runID: run.id) == [dataset])
      #expect(try tracker.store.tags(runID: run.id) == ["stage": "champion"])
    }

    @Test(arguments: StoreFactory.all) func softDeletedRunsAreHiddenAndAudited(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let kept = try tracker.startRun(experiment: "adult")
      let deleted = try tracker.startRun(experiment: "adult")
      try tracker.deleteRun(id: deleted.id)
      #expect(try tracker.runs().map(\.id) == [kept.id])
      #expect(try tracker.runs(RunQuery(includeDeleted: true)).count == 2)
      #expect(try tracker.run(id: deleted.id).deletedTime != nil)
      let events = try tracker.store.auditEvents()
      #expect(events.last?.kind == .runDeleted)
      #expect(events.last?.runID == deleted.id)
    }

    @Test(arguments: StoreFactory.all) func metricSummaryGivesLastExtremesAndProfile(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let run = try tracker.startRun(experiment: "adult")
      for step in 0..<100 { try run.log("train.loss", value: Double(100 - step), step: step) }
      try run.flush()
      let summary = try tracker.store.metricSummary(runID: run.id, key: "train.loss", buckets: 10)
      #expect(summary.count == 100)
      #expect(summary.last?.value == 1)
      #expect(summary.minimum == 1)
      #expect(summary.maximum == 100)
      #expect(summary.best == 1)
      #expect(summary.profile.count == 10)
      #expect(abs(summary.profile[0] - 95.5) < 1e-9)
      try run.log("accuracy", value: 0.5, step: 3)
      try run.flush()
      let all = try tracker.store.metricSummaries(runID: run.id, buckets: 10)
      #expect(all.map(\.key) == ["accuracy", "train.loss"])
      #expect(all[1] == summary)
      #expect(all[0].profile == [0.5])
    }
  }
}
