import Foundation
import Testing

/// `kiln drift --run` on multiclass and regression models: the prediction drift is the
/// predicted-class distribution (PSI, χ²) or the predicted values' distribution (PSI, KS).
@Suite struct DriftCLILabelKindTests {
  private func drift(_ project: LabelKindProject, run: String, current: String) throws -> (status: Int32, report: [String: Any]) {
    let result = try runKiln(["drift", "--run", run, "--current", current, "--json", "--no-report"], in: project.root)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return (result.status, try #require(object, "\(result.stdout)\(result.stderr)"))
  }

  private func drifted(_ entries: Any?) -> [String] {
    ((entries as? [[String: Any]]) ?? []).filter { $0["verdict"] as? String == "drift" }.compactMap { $0["name"] as? String }
  }

  @Test func aShiftedBatchMovesAMulticlassModelsPredictedClassesAndTheGroupMix() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.multiclass)
    let run = try project.train(.multiclass, name: "classes")
    let steady = try drift(project, run: run, current: try project.write(LabelKindProject.rows(500, seed: 51, kind: .multiclass), named: "steady.csv"))
    #expect(steady.status == 0, "\(drifted(steady.report["features"]))")
    let steadyPrediction = try #require(steady.report["score"] as? [String: Any])
    #expect(steadyPrediction["name"] as? String == "predicted_class")
    #expect(steadyPrediction["verdict"] as? String != "drift")

    let shifted = try project.write(LabelKindProject.rows(500, seed: 52, kind: .multiclass, shift: 1.5, qShare: 0.85), named: "shifted.csv")
    let (status, report) = try drift(project, run: run, current: shifted)
    #expect(status == 3)
    #expect(drifted(report["features"]) == ["x1", "group"] || drifted(report["features"]) == ["group", "x1"], "\(drifted(report["features"]))")
    #expect(drifted(report["group_mix"]) == ["group"])
    let prediction = try #require(report["score"] as? [String: Any])
    #expect(prediction["name"] as? String == "predicted_class")
    #expect(prediction["verdict"] as? String == "drift", "\(prediction)")
    #expect((prediction["bins"] as? [String])?.prefix(3) == ["a", "b", "c"], "\(prediction["bins"] ?? "")")
  }

  @Test func aShiftedBatchMovesARegressionModelsPredictions() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.regression)
    let run = try project.train(.regression, name: "values")
    let steady = try drift(project, run: run, current: try project.write(LabelKindProject.rows(500, seed: 61, kind: .regression), named: "steady.csv"))
    #expect(steady.status == 0, "\(drifted(steady.report["features"]))")
    #expect((steady.report["score"] as? [String: Any])?["verdict"] as? String != "drift")

    let shifted = try project.write(LabelKindProject.rows(500, seed: 62, kind: .regression, shift: 1.5), named: "shifted.csv")
    let (status, report) = try drift(project, run: run, current: shifted)
    #expect(status == 3)
    #expect(drifted(report["features"]) == ["x1"])
    let prediction = try #require(report["score"] as? [String: Any])
    #expect(prediction["name"] as? String == "prediction")
    #expect(prediction["verdict"] as? String == "drift", "\(prediction)")
    #expect(try #require(prediction["psi"] as? Double) > 0.2)
  }
}
