import Foundation
import Testing

@Suite struct PredictCLITests {
  /// Trains the toy experiment and returns its run id.
  private func trainedRun(_ project: MonitoringProject) throws -> String {
    let trained = try runKiln(["train", "experiments/toy.yaml"], in: project.root)
    #expect(trained.status == 0, "\(trained.stdout)\(trained.stderr)")
    let line = try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") })
    return String(line.dropFirst(4).prefix { $0 != ":" })
  }

  @Test func scoringRawRowsWritesScoresRejectsAndATrackedRun() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let run = try trainedRun(project)
    var lines = MonitoringProject.rows(count: 300, seed: 50, unseenShare: 0.05)
    lines.insert("abc,30,red,Male,1", at: 10)
    lines.append("44,30,red")
    let input = try project.write(lines, named: "batch.csv")
    let result = try runKiln(["predict", "--run", run, "--input", input, "--output", "scores.csv", "--batch-size", "64", "--json"],
                             in: project.root)
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(summary["rows_read"] as? Int == 302)
    #expect(summary["rows_scored"] as? Int == 300)
    #expect(summary["rows_rejected"] as? Int == 2)
    #expect(((summary["unknown_categories"] as? [String: Int])?["colour"] ?? 0) > 0)
    let scores = try String(contentsOf: project.root.appendingPathComponent("scores.csv"), encoding: .utf8).split(separator: "\n")
    #expect(scores.count == 301)
    for row in scores.dropFirst() {
      let fields = row.split(separator: ",")
      let score = try #require(Double(fields[2]))
      #expect(score >= 0 && score <= 1)
      #expect(fields[3] == (score >= 0.5 ? "1" : "0"))
    }
    let rejects = try String(contentsOf: project.root.appendingPathComponent("scores.rejects.csv"), encoding: .utf8)
    #expect(rejects.contains("11,column 'age': cannot parse 'abc'"))
    #expect(rejects.contains("302,expected 5 fields but found 3"))
    let listed = try runKiln(["runs", "list", "--json"], in: project.root)
    #expect(listed.stdout.contains("toy-model-scoring"))
  }

  @Test func driftWithTheRunComparesScoresToo() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let run = try trainedRun(project)
    let current = try project.write(MonitoringProject.rows(count: 1000, seed: 77, ageShift: 15), named: "older.csv")
    let result = try runKiln(["drift", "--run", run, "--current", current, "--json", "--no-report"], in: project.root)
    #expect(result.status == 3, "\(result.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let score = try #require(report["score"] as? [String: Any])
    // The toy label rises with age, so older rows score higher.
    #expect((score["psi"] as? Double ?? 0) > 0.2)
  }

  @Test func anUnknownRunIsAClearError() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    _ = try trainedRun(project)
    let result = try runKiln(["predict", "--run", "ffffffff", "--input", "x.csv", "--output", "y.csv"], in: project.root)
    #expect(result.status == 1)
    #expect(result.stderr.contains("ffffffff"))
  }
}

@Suite struct PredictThresholdCLITests {
  @Test func scoringUsesTheThresholdThatEvaluationChose() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let experiment = MonitoringProject.experiment.replacingOccurrences(
      of: "evaluation: {bootstrap: {resamples: 200, confidence: 0.9}}", with: "evaluation: {sensitive: [sex], threshold_selection: f1}")
    _ = try project.write([experiment], named: "experiments/toy.yaml")
    let trained = try runKiln(["train", "experiments/toy.yaml"], in: project.root)
    let run = String(try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).prefix { $0 != ":" })
    let evaluated = try runKiln(["evaluate", "--run", run, "--json"], in: project.root)
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let input = try project.write(MonitoringProject.rows(count: 200, seed: 61), named: "batch.csv")
    let scored = try runKiln(["predict", "--run", run, "--input", input, "--output", "scores.csv", "--json"], in: project.root)
    #expect(scored.status == 0, "\(scored.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(scored.stdout.utf8)) as? [String: Any])
    let threshold = try #require(summary["threshold"] as? Double)
    let rows = try String(contentsOf: project.root.appendingPathComponent("scores.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
    for row in rows {
      let fields = row.split(separator: ",")
      #expect(fields[3] == (Double(fields[2])! >= threshold ? "1" : "0"))
    }
    #expect(abs(threshold - 0.5) > 1e-9, "f1 selection rarely lands exactly on 0.5; the applied threshold should be the evaluated one")
  }
}
