import Foundation
import Testing

/// `kiln pipeline` on an experiment with reweighing: the unmitigated baseline (same seed) is
/// trained beside it, and the card shows both.
@Suite struct PipelineCLIMitigationTests {
  @Test func reweighingTrainsTheUnmitigatedBaselineAndTheCardComparesThem() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let experiment = MonitoringProject.experiment.replacingOccurrences(of: "name: toy-model", with: "name: toy-fair")
      .replacingOccurrences(of: "evaluation: {bootstrap:", with: "evaluation: {sensitive: [sex], bootstrap:")
      + "\nmitigation: {reweighing: {sensitive: [sex]}}\n"
    try experiment.write(to: project.root.appendingPathComponent("experiments/fair.yaml"), atomically: true, encoding: .utf8)
    let result = try runKiln(["pipeline", "experiments/fair.yaml"], in: project.root)
    // Registered and reported either way (the toy experiment has no gates of its own).
    #expect([0, 3].contains(result.status), "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("mitigation: the unmitigated baseline (same seed) is run ")
            || result.stderr.contains("mitigation: the unmitigated baseline (same seed) is run "), "\(result.stdout)\(result.stderr)")
    let card = try String(contentsOf: project.root.appendingPathComponent("reports/toy-fair/v1/model-card.md"), encoding: .utf8)
    #expect(card.contains("### Mitigation: before and after"))
    #expect(card.contains("Mitigation: reweighing by sex (before: run "))
    #expect(card.contains("| fairness.sex.demographic_parity_difference | overall |"), "\(card)")
    #expect(card.contains("| selection_rate | sex=Female |"))
    let html = try String(contentsOf: project.root.appendingPathComponent("reports/toy-fair/v1/model-card.html"), encoding: .utf8)
    #expect(html.contains("Accuracy against disparity"))
    let runs = try runKiln(["runs", "list"], in: project.root)
    #expect(runs.stdout.contains("toy-fair-unmitigated"), "\(runs.stdout)")
  }
}
