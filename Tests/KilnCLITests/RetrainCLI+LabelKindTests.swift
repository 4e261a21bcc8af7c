import Foundation
import Testing

@Suite struct RetrainCLILabelKindTests {
  /// The champion gate on `test.rmse` in a version's promotion.json.
  private func championGate(_ file: URL) throws -> [String: Any] {
    let promotion = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    let gates = try #require(promotion["gates"] as? [[String: Any]])
    return try #require(gates.first { $0["metric"] as? String == "test.rmse" && ($0["reason"] as? String ?? "").contains("champion") },
                        "\(gates)")
  }

  @Test func retrainingARegressionModelGatesTheChallengersRMSEAgainstTheChampionLowerIsBetterAndRegistersV2() throws {
    let project = try LabelKindPipelineProject(kind: "regression", gates: [
      "{metric: test.rmse, max: 5.0, use: ci_upper}",
      "{metric: test.rmse, vs: champion, min_delta: 0.0}",
    ])
    defer { project.remove() }
    let first = try runKiln(["pipeline", "experiments/shapes.yaml", "--quiet"], in: project.root)
    try #require(first.status == 0, "\(first.stderr)")
    let runLine = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("train ") && $0.contains(" run ") })
    let runID = String(try #require(runLine.split(separator: " ").last))
    try "production:\n  approvers: [risk-officer]\n".write(to: project.root.appendingPathComponent("experiments/governance.yaml"),
                                                          atomically: true, encoding: .utf8)
    let promoted = try runKiln(["promote", runID, "--model", "shapes-regression", "--to", "production", "--approved-by", "risk-officer"],
                               in: project.root)
    try #require(promoted.status == 0, "\(promoted.stderr)")

    try project.rows(200, seed: 9).write(to: project.root.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
    let retrained = try runKiln(["retrain", "experiments/shapes.yaml", "--new-data", "new.csv", "--quiet"], in: project.root)
    #expect(retrained.status == 0, "\(retrained.stderr)")
    #expect(retrained.stdout.contains("dataset: shapes v2"), "\(retrained.stdout)")
    #expect(retrained.stdout.contains("shapes-regression v2"), "\(retrained.stdout)")

    let reports = project.root.appendingPathComponent("reports/shapes-regression")
    let championRMSE = try #require(try championGate(reports.appendingPathComponent("v1/promotion.json"))["observed"] as? Double)
    let gate = try championGate(reports.appendingPathComponent("v2/promotion.json"))
    let comparedWith = try #require(gate["champion"] as? Double, "\(gate)")
    let challengerRMSE = try #require(gate["observed"] as? Double)
    #expect(abs(comparedWith - championRMSE) < 1e-12)
    #expect(challengerRMSE != championRMSE)
    // Lower is better: the improvement is champion − challenger, so a lower RMSE passes.
    let margin = try #require(gate["margin"] as? Double)
    #expect(abs(margin - (championRMSE - challengerRMSE)) < 1e-12, "\(gate)")
    #expect((gate["outcome"] as? String) == (challengerRMSE <= championRMSE ? "pass" : "fail"), "\(gate)")
    #expect((gate["reason"] as? String ?? "").contains("lower is better"), "\(gate)")

    let models = try runKiln(["models", "show", "shapes-regression", "--json"], in: project.root)
    #expect(models.status == 0, "\(models.stderr)")
    let versions = try #require(try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [[String: Any]], "\(models.stdout)")
    #expect(versions.count == 2)
    let second = try #require(versions.first { ($0["version"] as? Int) == 2 })
    #expect((second["stage"] as? String) == (challengerRMSE <= championRMSE ? "staging" : "none"), "\(second)")
  }
}
