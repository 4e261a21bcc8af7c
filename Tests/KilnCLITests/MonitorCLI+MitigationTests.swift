import Foundation
import Testing

/// `kiln monitor --labelled` judges a mitigated model by the decisions it makes: its group
/// thresholds or its reduction's seeded mixture, drawn per raw row as `kiln predict` draws them,
/// not its plain threshold.
@Suite struct MonitorCLIMitigationTests {
  /// The accuracy of `kiln predict`'s decisions on `lines` (the label is each line's last field).
  static func predictedAccuracy(run: String, input: String, lines: [String], in project: MonitoringProject) throws -> Double {
    let scored = try runKiln(["predict", "--run", run, "--input", input, "--output", "scored.csv"], in: project.root)
    #expect(scored.status == 0, "\(scored.stderr)")
    let rows = try String(contentsOf: project.root.appendingPathComponent("scored.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.count == lines.count)
    let correct = zip(rows, lines).filter { row, line in row[3] == line.split(separator: ",").last! }.count
    return Double(correct) / Double(lines.count)
  }

  static func monitoredAccuracy(run: String, input: String, in project: MonitoringProject) throws -> Double {
    let monitored = try runKiln(["monitor", "--run", run, "--labelled", input, "--json"], in: project.root)
    #expect(monitored.status == 0 || monitored.status == 4, "\(monitored.stdout)\(monitored.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(monitored.stdout.utf8)) as? [String: Any], "\(monitored.stdout)")
    let comparisons = try #require(report["comparisons"] as? [[String: Any]])
    return try #require(comparisons.first { $0["name"] as? String == "accuracy" }?["current"] as? Double)
  }

  /// The accuracy of the scored file's scores cut at the plain threshold 0.5 (the toy runs keep it).
  static func plainAccuracy(lines: [String], in project: MonitoringProject) throws -> Double {
    let rows = try String(contentsOf: project.root.appendingPathComponent("scored.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    let correct = zip(rows, lines).filter { row, line in
      ((Double(row[2]) ?? 0) >= 0.5 ? "1" : "0") == line.split(separator: ",").last!
    }.count
    return Double(correct) / Double(lines.count)
  }

  @Test(arguments: ["thresholds", "reductions"])
  func theMonitorScoresAMitigatedModelByItsOwnDecisions(mitigation: String) throws {
    let project = try MonitoringProject.make(maleEffect: 2)
    defer { project.remove() }
    let run = try project.train(mitigation == "thresholds"
      ? MonitoringProject.groupThresholdsExperiment : ReductionsCLITests.experiment(name: "toy-fair", predictor: "mixture"))
    let lines = MonitoringProject.rows(count: 1500, seed: 61, maleEffect: 2)
    let input = try project.write(lines, named: "labelled.csv")
    let predicted = try Self.predictedAccuracy(run: run, input: input, lines: lines, in: project)
    let monitored = try Self.monitoredAccuracy(run: run, input: input, in: project)
    #expect(abs(monitored - predicted) < 1e-12, "monitor \(monitored), predict's decisions \(predicted)")
    // The mitigation changes decisions here, so a monitor that cut the scores at the plain
    // threshold would report another accuracy.
    let plain = try Self.plainAccuracy(lines: lines, in: project)
    #expect(abs(plain - predicted) > 1e-6, "the mitigation left every decision as the plain threshold's (\(plain))")
  }

  @Test func aRowOfAGroupWithoutAThresholdIsAClearError() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let run = try project.train(MonitoringProject.groupThresholdsExperiment)
    var lines = MonitoringProject.rows(count: 300, seed: 62)
    lines.insert("40,30,red,Other,1", at: 5)
    let input = try project.write(lines, named: "labelled.csv")
    let monitored = try runKiln(["monitor", "--run", run, "--labelled", input], in: project.root)
    #expect(monitored.status != 0 && monitored.status != 4)
    #expect(monitored.stderr.contains("labelled.csv: data row 5 (counting from 0, as `kiln predict`'s row_id): `sex` = `<missing>` has no fitted group threshold (the model knows: Female, Male)"),
            "\(monitored.stderr)")
    #expect(monitored.stderr.contains("monitor rows of the groups the thresholds were fitted on"), "\(monitored.stderr)")
  }
}
