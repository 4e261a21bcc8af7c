import Foundation
import Testing
import KilnReport
import KilnTracking
@testable import KilnRuns

/// `kiln runs list --json` is written a page at a time: the text must be the whole listing's,
/// and output cut short must never parse as a complete listing.
@Suite struct RunListingJSONTests {
  /// A tracker over a fresh SQLite store with `count` finished runs, each with two metrics.
  func tracker(runs count: Int) throws -> Tracker {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-listing-\(UUID().uuidString)")
    let tracker = try Tracker(storeDirectory: directory)
    for index in 0..<count {
      let run = try tracker.startRun(experiment: "adult", configuration: RunConfiguration(text: "", parameters: ["seed": String(index)]))
      try run.log(metrics: ["test.accuracy": Double(index) / 10, "train.loss": 1 / Double(index + 1)], step: 1)
      try run.finish(index == 2 ? .failed : .finished)
    }
    return tracker
  }

  @Test(arguments: [0, 1, 5]) func thePagedJSONIsTheWholeListingsText(runs count: Int) throws {
    let tracker = try tracker(runs: count)
    var pieces: [String] = []
    try RunListing.writeJSON(tracker: tracker, query: RunQuery(), pageSize: 2) { pieces.append($0) }
    let runs = try tracker.runs(RunQuery())
    let metrics = try tracker.store.latestMetrics(runIDs: runs.map(\.id), keys: nil)
    let items: [JSONValue] = runs.map { run in
      var object = RunFormatting.summary(run)
      object["metrics"] = .object((metrics[run.id] ?? [:]).mapValues(JSONValue.number))
      return .object(object)
    }
    #expect(pieces.joined() == RunFormatting.json(.array(items)) + "\n")
    #expect(pieces.joined() == (try RunListing(tracker: tracker, query: RunQuery(), allMetrics: true).json()))
  }

  @Test func outputCutShortByAnErrorIsNotAJSONDocument() throws {
    struct Closed: Error {}
    let tracker = try tracker(runs: 5)
    var written = ""
    #expect(throws: Closed.self) {
      try RunListing.writeJSON(tracker: tracker, query: RunQuery(), pageSize: 2) { text in
        guard written.count < 1_000 else { throw Closed() }
        written += text
      }
    }
    #expect(!written.isEmpty)
    #expect(throws: (any Error).self) { try JSONValue.parse(written) }
  }
}
