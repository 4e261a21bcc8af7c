import Foundation
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct SweepReportTests {
  @Test func theReportIsSelfContainedWithEveryPlot() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let session = try SweepFixtures.session(project, trials: 8)
    try SweepRunner.run(try session.coordinator(), workers: .threads(1, objective: SweepFixtures.toyObjective()))
    let summary = try SweepSummary(session: session)
    let file = try SweepReport.write(summary)

    #expect(file.path.hasSuffix("reports/sweeps/\(session.sweepRunID)/index.html"))
    let html = try String(contentsOf: file, encoding: .utf8)
    for heading in ["Optimisation history", "Parallel coordinates", "Slice: x", "Slice: y", "Slice: kind", "Parameter importance"] {
      #expect(html.contains(heading), "missing \(heading)")
    }
    #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
    // One line per complete trial in the parallel coordinates.
    let complete = summary.trials.filter { $0.state == .complete }.count
    #expect(html.components(separatedBy: "stroke=\"#0072B2\" stroke-opacity").count - 1 == complete)
    #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["index.html"])
  }

  @Test func theSummaryNamesTheBestTrialAndItsOverrides() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let session = try SweepFixtures.session(project, trials: 8)
    try SweepRunner.run(try session.coordinator(), workers: .threads(1, objective: SweepFixtures.toyObjective()))
    let summary = try SweepSummary(session: session)
    let best = try #require(summary.best)
    let values = try session.storage.allTrials().filter { $0.state == .complete }.compactMap(\.value)
    #expect(best.value == values.min())
    #expect(summary.text().contains("best: trial \(best.number)"))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any])
    #expect((object["trials"] as? [Any])?.count == 8)
    let bestObject = try #require(object["best"] as? [String: Any])
    #expect(bestObject["number"] as? Int == best.number)
    #expect((bestObject["overrides"] as? [String])?.count == 3)
  }
}
