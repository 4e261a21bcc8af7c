import Foundation
import Testing

@Suite struct MonitorCLITests {
  private func comparisons(_ stdout: String) throws -> [String: [String: Any]] {
    let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], "\(stdout)")
    let list = try #require(report["comparisons"] as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
  }

  @Test func aBatchLikeTheTrainingDataKeepsTheModelsFiguresAndFlippedLabelsDegradeThem() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let trained = try runKiln(["train", "experiments/toy.yaml"], in: project.root)
    let run = try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).prefix { $0 != ":" }
    let fresh = try project.write(MonitoringProject.rows(count: 2000, seed: 31), named: "fresh.csv")
    let good = try runKiln(["monitor", "--run", String(run), "--labelled", fresh, "--json"], in: project.root)
    #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
    let figures = try comparisons(good.stdout)
    #expect(figures["accuracy"]?["baseline_metric"] as? String == "validation.accuracy")
    #expect(figures["accuracy"]?["degraded"] as? Bool == false)
    #expect(figures["fairness.sex.demographic_parity_difference"] != nil)
    // The experiment asks for a bootstrap: current figures carry their intervals.
    for name in ["accuracy", "roc_auc", "fairness.sex.demographic_parity_difference"] {
      let interval = try #require(figures[name]?["current_interval"] as? [String: Any], "\(name)")
      let current = try #require(figures[name]?["current"] as? Double)
      let lower = try #require(interval["lower"] as? Double), upper = try #require(interval["upper"] as? Double)
      #expect(lower <= current && current <= upper, "\(name): \(current) outside [\(lower), \(upper)]")
    }

    let flipped = MonitoringProject.rows(count: 2000, seed: 32).map { line -> String in
      var fields = line.split(separator: ",").map(String.init)
      fields[4] = fields[4] == "1" ? "0" : "1"
      return fields.joined(separator: ",")
    }
    let bad = try runKiln(["monitor", "--run", String(run), "--labelled", try project.write(flipped, named: "flipped.csv"), "--json"],
                          in: project.root)
    #expect(bad.status == 4)
    #expect(try comparisons(bad.stdout)["accuracy"]?["degraded"] as? Bool == true)
  }

  @Test func anUnlabelledBatchIsAClearError() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let trained = try runKiln(["train", "experiments/toy.yaml"], in: project.root)
    let run = try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).prefix { $0 != ":" }
    let unlabelled = try project.write(["40,30,red,Male,?", "41,31,blue,Female,?"], named: "unlabelled.csv")
    let result = try runKiln(["monitor", "--run", String(run), "--labelled", unlabelled], in: project.root)
    #expect(result.status == 1)
    #expect(result.stderr.contains("no label"))
  }
}
