import Foundation
import Testing
@testable import KilnTracking

extension StoreContractTests {
  @Suite struct Queries {
    /// Three finished runs of "adult" with accuracies 0.80, 0.86, 0.90 and batch sizes 128, 256, 256,
    /// and one run of another experiment.
    func populatedTracker(_ kind: StoreFactory) throws -> (Tracker, [String]) {
      let clock = ManualClock()
      let tracker = try kind.tracker(clock: { clock.now })
      var ids: [String] = []
      for (accuracy, batchSize) in [(0.80, 128.0), (0.86, 256.0), (0.90, 256.0)] {
        let configuration = RunConfiguration(json: .object(["training": .object(["batch_size": .number(batchSize)])]))
        let run = try tracker.startRun(experiment: "adult", configuration: configuration)
        try run.log("test.accuracy", value: accuracy, step: 1)
        try run.setTag("owner", accuracy > 0.85 ? "ana" : "bo")
        try run.finish(.finished)
        ids.append(run.id)
        clock.advance(by: 1)
      }
      let other = try tracker.startRun(experiment: "credit")
      try other.finish(.failed)
      return (tracker, ids)
    }

    @Test(arguments: StoreFactory.all) func runsFilterByExperimentAndStatus(_ kind: StoreFactory) throws {
      let (tracker, ids) = try populatedTracker(kind)
      #expect(Set(try tracker.runs(RunQuery(experiment: "adult")).map(\.id)) == Set(ids))
      #expect(try tracker.runs(RunQuery(status: .failed)).map(\.experiment) == ["credit"])
    }

    @Test(arguments: StoreFactory.all) func metricAndParameterPredicatesSelectRuns(_ kind: StoreFactory) throws {
      let (tracker, ids) = try populatedTracker(kind)
      let filter = try RunFilter.parse("metrics.test.accuracy > 0.85 and params.training.batch_size = 256")
      #expect(Set(try tracker.runs(RunQuery(filter: filter)).map(\.id)) == [ids[1], ids[2]])
      let below = try RunFilter.parse("metrics.test.accuracy <= 0.86 and experiment = 'adult'")
      #expect(Set(try tracker.runs(RunQuery(filter: below)).map(\.id)) == [ids[0], ids[1]])
    }

    @Test(arguments: StoreFactory.all) func orInListsAndRangesSelectRuns(_ kind: StoreFactory) throws {
      let (tracker, ids) = try populatedTracker(kind)
      let either = try RunFilter.parse("metrics.test.accuracy < 0.81 or (tags.owner = 'ana' and params.training.batch_size >= 256)")
      #expect(Set(try tracker.runs(RunQuery(filter: either)).map(\.id)) == Set(ids))
      let listed = try RunFilter.parse("params.training.batch_size in (64, 128) or tags.owner not in ('ana', 'bo')")
      #expect(try tracker.runs(RunQuery(filter: listed)).map(\.id) == [ids[0]])
      let range = try RunFilter.parse("0.85 < metrics.test.accuracy <= 0.9 and metrics.test.accuracy between 0.8 and 0.87")
      #expect(try tracker.runs(RunQuery(filter: range)).map(\.id) == [ids[1]])
    }

    @Test(arguments: StoreFactory.all) func tagsSelectRuns(_ kind: StoreFactory) throws {
      let (tracker, ids) = try populatedTracker(kind)
      #expect(try tracker.runs(RunQuery(tags: ["owner": "bo"])).map(\.id) == [ids[0]])
      let filter = try RunFilter.parse("tags.owner = 'ana'")
      #expect(Set(try tracker.runs(RunQuery(filter: filter)).map(\.id)) == [ids[1], ids[2]])
    }

    @Test(arguments: StoreFactory.all) func runsSortByAMetricAndAreLimited(_ kind: StoreFactory) throws {
      let (tracker, ids) = try populatedTracker(kind)
      let best = try tracker.runs(RunQuery(experiment: "adult", sort: [try RunFilter.parseSort("-metrics.test.accuracy")], limit: 2))
      #expect(best.map(\.id) == [ids[2], ids[1]])
      let worst = try tracker.runs(RunQuery(experiment: "adult", sort: [try RunFilter.parseSort("metrics.test.accuracy")], limit: 1))
      #expect(worst.map(\.id) == [ids[0]])
    }

    @Test(arguments: StoreFactory.all) func numericParametersSortByValue(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      var ids: [String: String] = [:]
      for batchSize in ["256", "64", "1024", "auto"] {
        let run = try tracker.startRun(experiment: "adult", configuration: RunConfiguration(text: "", parameters: ["batch_size": batchSize]))
        ids[batchSize] = run.id
      }
      let sorted = try tracker.runs(RunQuery(sort: [try RunFilter.parseSort("params.batch_size")]))
      #expect(sorted.map(\.id) == ["64", "256", "1024", "auto"].map { ids[$0]! })
    }

    /// A metric sort keeps runs without the metric last, and with a filter that requires the
    /// metric (read through its index) gives the same order, minus the runs the filter drops.
    @Test(arguments: StoreFactory.all) func aMetricSortOrdersTheSameWithAndWithoutAFilterOnIt(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      for value in [0.5, nil, 0.9, 0.1, 0.9, nil, 0.7] {
        let run = try tracker.startRun(experiment: "adult")
        if let value { try run.log("test.accuracy", value: value, step: 1) }
        try run.log("train.loss", value: 1, step: 1)
        try run.finish(.finished)
      }
      for sort in ["-metrics.test.accuracy", "metrics.test.accuracy"] {
        let all = try tracker.runs(RunQuery(sort: [try RunFilter.parseSort(sort)]))
        let values = try tracker.store.latestMetrics(runIDs: all.map(\.id), keys: ["test.accuracy"])
        #expect(all.suffix(2).allSatisfy { values[$0.id] == nil })
        for filter in ["metrics.test.accuracy > 0.2", "metrics.test.accuracy > 0.2 and metrics.train.loss = 1",
                       "metrics.test.accuracy in (0.5, 0.7, 0.9) or metrics.test.accuracy > 0.8"] {
          let filtered = try tracker.runs(RunQuery(filter: try RunFilter.parse(filter), sort: [try RunFilter.parseSort(sort)]))
          #expect(filtered.map(\.id) == all.filter { (values[$0.id]?["test.accuracy"] ?? 0) > 0.2 }.map(\.id), "\(filter), \(sort)")
        }
      }
    }

    /// A listing read a page at a time is the unpaged listing, cut into pages, with each page's
    /// metrics (a sort and a filter included, and a last page that is not full).
    @Test(arguments: StoreFactory.all) func aListingComesInPagesThatMakeTheUnpagedListing(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      for index in 0..<7 {
        let run = try tracker.startRun(experiment: "adult", configuration: RunConfiguration(text: "", parameters: ["batch_size": String(64 << (index % 2))]))
        try run.log(metrics: ["test.accuracy": Double(index % 4) / 4, "train.loss": Double(index)], step: 1)
        try run.finish(.finished)
      }
      let filtered = RunQuery(filter: try RunFilter.parse("params.batch_size = 64"), sort: [try RunFilter.parseSort("-metrics.test.accuracy")])
      for (query, pageSizes) in [(RunQuery(), [3, 3, 1]), (filtered, [3, 1])] {
        let unpaged = try tracker.store.runs(matching: query)
        var pages: [RunPage] = []
        try tracker.store.forEachRunPage(matching: query, pageSize: 3, metricKeys: nil) { pages.append($0) }
        #expect(pages.map(\.runs.count) == pageSizes)
        #expect(pages.flatMap(\.runs).map(\.id) == unpaged.map(\.id))
        let metrics = pages.reduce(into: [:]) { all, page in all.merge(page.metrics) { first, _ in first } }
        #expect(metrics == (try tracker.store.latestMetrics(runIDs: unpaged.map(\.id), keys: nil)))
      }
      var accuracies: [String: [String: Double]] = [:]
      try tracker.store.forEachRunPage(matching: RunQuery(), pageSize: 5, metricKeys: ["test.accuracy"]) { page in
        accuracies.merge(page.metrics) { first, _ in first }
      }
      #expect(accuracies.count == 7 && accuracies.values.allSatisfy { $0.keys.sorted() == ["test.accuracy"] })
    }

    @Test(arguments: StoreFactory.all) func latestMetricsForManyRunsComeInOneCall(_ kind: StoreFactory) throws {
      let (tracker, ids) = try populatedTracker(kind)
      let values = try tracker.store.latestMetrics(runIDs: ids, keys: ["test.accuracy"])
      #expect(values[ids[2]]?["test.accuracy"] == 0.90)
      #expect(values.count == 3)
    }
  }
}
