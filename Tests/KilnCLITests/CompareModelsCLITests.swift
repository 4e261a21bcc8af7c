import Foundation
import Testing

@Suite struct CompareModelsCLITests {
  private func train(_ project: MonitoringProject, seed: Int) throws -> String {
    let trained = try runKiln(["train", "experiments/toy.yaml", "--set", "training.seed=\(seed)"], in: project.root)
    #expect(trained.status == 0, "\(trained.stderr)")
    return String(try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).prefix { $0 != ":" })
  }

  private func compare(_ project: MonitoringProject, _ champion: String, _ challenger: String, input: String) throws -> [String: Any] {
    let result = try runKiln(["compare-models", champion, challenger, "--input", input, "--resamples", "100", "--json"], in: project.root)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test func aModelComparedWithItselfNeverFlipsAndTwoSeedsSplitFlipsByGroup() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let first = try train(project, seed: 1), second = try train(project, seed: 2)
    let input = try project.write(MonitoringProject.rows(count: 600, seed: 81), named: "batch.csv")

    let same = try compare(project, first, first, input: input)
    let sameOverall = try #require(same["overall"] as? [String: Any])
    #expect(sameOverall["flip_rate"] as? Double == 0)
    let sameMetrics = try #require(same["metrics"] as? [[String: Any]])
    #expect(sameMetrics.allSatisfy { abs(($0["delta"] as? Double) ?? 1) < 1e-12 })

    let report = try compare(project, first, second, input: input)
    let overall = try #require(report["overall"] as? [String: Any])
    let flip = try #require(overall["flip_rate"] as? Double)
    let up = try #require(overall["negative_to_positive"] as? Double), down = try #require(overall["positive_to_negative"] as? Double)
    #expect(abs(flip - up - down) < 1e-12)
    let sex = try #require((report["by_group"] as? [String: Any])?["sex"] as? [String: [String: Any]])
    let groupRows = sex.values.compactMap { $0["rows"] as? Int }.reduce(0, +)
    #expect(groupRows == overall["rows"] as? Int)
    let flippedInGroups = sex.values.map { Double($0["rows"] as! Int) * ($0["flip_rate"] as! Double) }.reduce(0, +)
    #expect(abs(flippedInGroups - flip * Double(groupRows)) < 1e-6)
  }

  @Test func everyMetricDeltaHasAPairedIntervalThatIsReproducibleAndZeroForTheSameModel() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let first = try train(project, seed: 1), second = try train(project, seed: 2)
    let input = try project.write(MonitoringProject.rows(count: 600, seed: 83), named: "batch.csv")

    let report = try compare(project, first, second, input: input)
    let metrics = try #require(report["metrics"] as? [[String: Any]])
    let names = Set(metrics.compactMap { $0["name"] as? String })
    #expect(names.isSuperset(of: ["accuracy", "roc_auc", "f1", "balanced_accuracy", "log_loss", "brier_score", "average_precision"]))
    for metric in metrics {
      let delta = try #require(metric["delta"] as? Double)
      let interval = try #require(metric["delta_interval"] as? [String: Any], "\(metric["name"] ?? "?") has no interval")
      let lower = try #require(interval["lower"] as? Double), upper = try #require(interval["upper"] as? Double)
      #expect(lower <= delta + 1e-12 && delta <= upper + 1e-12, "\(metric["name"] ?? "?"): \(delta) outside [\(lower), \(upper)]")
      #expect(interval["resamples"] as? Int == 100)
      // The experiment's evaluation.bootstrap sets the level.
      #expect(abs((interval["level"] as? Double ?? 0) - 0.9) < 1e-12)
    }
    let again = try compare(project, first, second, input: input)
    #expect(NSDictionary(dictionary: report).isEqual(to: again))

    let same = try compare(project, first, first, input: input)
    for metric in try #require(same["metrics"] as? [[String: Any]]) {
      let interval = try #require(metric["delta_interval"] as? [String: Any])
      #expect(interval["lower"] as? Double == 0 && interval["upper"] as? Double == 0, "\(metric["name"] ?? "?")")
    }
    let table = try runKiln(["compare-models", first, second, "--input", input, "--resamples", "100"], in: project.root)
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("roc_auc") && table.stdout.contains("(90%)"))
  }
}
