import Foundation
import Testing

/// `kiln predict` with a model that decides by group thresholds (`mitigation.thresholds`).
@Suite struct PredictCLIMitigationTests {
  @Test func groupThresholdsDecideFromTheSensitiveColumnAndRejectUnknownGroups() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let run = try project.train(MonitoringProject.groupThresholdsExperiment)

    var lines = MonitoringProject.rows(count: 200, seed: 51)
    lines.insert("40,30,red,Other,1", at: 5)
    let input = try project.write(lines, named: "batch.csv")
    let first = try runKiln(["predict", "--run", run, "--input", input, "--output", "a.csv"], in: project.root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("group thresholds by sex under demographic_parity, read from the input's sensitive columns"), "\(first.stdout)")
    let rejects = try String(contentsOf: project.root.appendingPathComponent("a.rejects.csv"), encoding: .utf8)
    #expect(rejects.contains("6,\"sex = <missing> has no fitted group threshold (the model knows: Female, Male)\""), "\(rejects)")
    // The randomised decisions are seeded: a second scoring writes the same file.
    let (a, b) = try project.scoredTwice(run: run, input: input)
    #expect(a == b)
    #expect(a.split(separator: "\n").count == 201)
    // A Kiln dataset is decided from its stored sensitive codes.
    let dataset = try runKiln(["predict", "--run", run, "--input", "datasets/toy/toy.h5", "--output", "c.csv", "--json"], in: project.root)
    #expect(dataset.status == 0, "\(dataset.stderr)")
    #expect(dataset.stdout.contains("\"rows_scored\" : 3000"), "\(dataset.stdout)")
  }
}
