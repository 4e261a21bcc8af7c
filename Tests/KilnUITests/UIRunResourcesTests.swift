import Foundation
import KilnTracking
import Testing

/// The run page's resource-use section and the `system.*` columns of the runs table, over HTTP.
@Suite struct UIRunResourcesTests {
  @Test func aRunsResourceUseIsShownAndItsMetricsAreColumns() throws {
    let fixture = try UIStoreFixture()
    defer { fixture.remove() }
    let runID = fixture.runIDs[0]
    let usage = ResourceUsage(wallSeconds: 12.5, cpuSeconds: 21, peakResidentBytes: 96 * 1_048_576,
                              peakResidentBytesSum: 180 * 1_048_576, ranks: 2, samples: 50_000, trainingSeconds: 10)
    do {
      let store = try SQLiteTrackingStore(databaseFile: fixture.storeDirectory.appendingPathComponent("kiln.sqlite"))
      try store.appendMetrics(usage.metrics.map { MetricPoint(key: $0.key, step: 0, value: $0.value, timestamp: UIStoreFixture.start) },
                              runID: runID, generation: nil)
    }
    let server = try UIServerProcess(arguments: ["--store", fixture.storeDirectory.path, "--reports", fixture.reportsDirectory.path])
    defer { _ = server.stop() }

    let page = try server.get("/runs/\(runID)")
    #expect(page.status == 200)
    let section = try #require(page.body.components(separatedBy: "<table id=\"resources\">").dropFirst().first?
      .components(separatedBy: "</table>").first, "no resource-use table: \(page.body.prefix(400))")
    for expected in ["wall time", "12.5 s", "CPU time", "21 s over 2 ranks", "96 MiB largest rank, 180 MiB all ranks",
                     "samples/s training", "5000", "samples/s overall", "4000"] {
      #expect(section.contains(expected), "\(expected) is missing from \(section)")
    }
    // A run without resource metrics has no section.
    #expect(!(try server.get("/runs/\(fixture.runIDs[1])").body.contains("id=\"resources\"")))

    let json = try server.get("/runs/\(runID).json")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any])
    let resources = try #require(document["resources"] as? [String: Any])
    #expect(resources["cpu_seconds"] as? Double == 21 && resources["train_samples_per_second"] as? Double == 5_000)

    let runs = try server.get("/runs?columns=metrics.system.cpu_seconds,metrics.system.peak_rss_bytes")
    #expect(runs.status == 200)
    #expect(runs.body.contains("value=\"metrics.system.samples_per_second\""), "the column chooser offers every system metric")
    #expect(runs.body.contains("<td>21</td>") && runs.body.contains("<td>100663296</td>"), "\(runs.body.prefix(600))")
  }
}
