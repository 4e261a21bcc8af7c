import Foundation
import Testing

@Suite struct DriftCLITests {
  private func driftJSON(_ project: MonitoringProject, current: String) throws -> (status: Int32, report: [String: Any]) {
    let result = try runKiln(["drift", "--experiment", "experiments/toy.yaml", "--current", current, "--json"], in: project.root)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return (result.status, try #require(object, "\(result.stdout)\(result.stderr)"))
  }

  private func drifted(_ entries: Any?) -> [String] {
    ((entries as? [[String: Any]]) ?? []).filter { $0["verdict"] as? String == "drift" }.compactMap { $0["name"] as? String }
  }

  @Test func aDriftedBatchFlagsExactlyTheShiftedFeaturesAndTheSexMix() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let current = try project.write(MonitoringProject.rows(count: 1500, seed: 99, ageShift: 10, femaleShare: 0.6, unseenShare: 0.1),
                                    named: "drifted.csv")
    let (status, report) = try driftJSON(project, current: current)
    #expect(status == 3)
    #expect(report["verdict"] as? String == "drift")
    #expect(drifted(report["features"]) == ["age", "colour", "sex"])
    #expect(drifted(report["group_mix"]) == ["sex"])
    let colour = try #require((report["features"] as? [[String: Any]])?.first { $0["name"] as? String == "colour" })
    #expect((colour["bins"] as? [String])?.last == "<unknown>")
    #expect((report["context"] as? [String: String])?["unknown_categories.colour"].flatMap(Int.init) ?? 0 > 100)
    let reports = project.root.appendingPathComponent("reports/toy-model/drift")
    let dates = try FileManager.default.contentsOfDirectory(atPath: reports.path)
    let html = try String(contentsOf: reports.appendingPathComponent(dates[0]).appendingPathComponent("drift.html"), encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("age — PSI"))
  }

  @Test func undriftedResamplesAreNotFlaggedAcrossSeeds() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    for seed in UInt64(200)..<205 {
      let current = try project.write(MonitoringProject.rows(count: 1000, seed: seed), named: "undrifted-\(seed).csv")
      let (status, report) = try driftJSON(project, current: current)
      #expect(status == 0, "seed \(seed)")
      #expect(report["verdict"] as? String != "drift", "seed \(seed): \(drifted(report["features"]))")
    }
  }

  @Test func aMalformedBatchIsAClearErrorNamingTheLine() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let current = try project.write(["41,30,red,Male,1", "42,thirty,red,Male,0", "43,30,red"], named: "bad.csv")
    let result = try runKiln(["drift", "--experiment", "experiments/toy.yaml", "--current", current], in: project.root)
    #expect(result.status == 1)
    #expect(result.stderr.contains("bad.csv:3") && result.stderr.contains("expected 5 fields"))
  }

  @Test func anOutOfRangeMonitoringThresholdNamesItsKey() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let experiment = MonitoringProject.experiment.replacingOccurrences(of: "p_value: 0.01", with: "p_value: 1.5")
    let path = try project.write([experiment], named: "experiments/bad.yaml")
    let result = try runKiln(["drift", "--experiment", path, "--current", "x.csv"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("monitoring.p_value"))
  }
}

@Suite struct DriftDatasetInputCLITests {
  @Test func aKilnDatasetWithTheSameFeaturesIsAcceptedAsTheCurrentBatch() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let result = try runKiln(["drift", "--experiment", "experiments/toy.yaml", "--current", "datasets/toy/toy.h5", "--json", "--no-report"],
                             in: project.root)
    #expect(result.status == 0, "\(result.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(report["current_rows"] as? Int == 3000)
    #expect(report["verdict"] as? String != "drift")
  }
}
