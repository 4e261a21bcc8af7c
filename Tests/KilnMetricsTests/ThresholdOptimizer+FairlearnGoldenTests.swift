import Foundation
import KilnMetrics
import Testing

/// Group thresholds against fairlearn 0.15's `ThresholdOptimizer` on the same scores, labels and
/// groups (`Tests/Fixtures/mitigation/thresholds.json`; its README gives the provenance): the
/// same thresholds and mixtures, P(ŷ = 1) of every row, and so the same expected rates and
/// disparities of the randomised predictions, to 1e-9.
@Suite struct ThresholdOptimizerFairlearnGoldenTests {
  static let tolerance = 1e-9

  static var fixture: [String: Any] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Tests/Fixtures/mitigation/thresholds.json")
    return (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any] ?? [:]
  }

  static var caseNames: [String] { (fixture["cases"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }

  static func number(_ value: Any?) -> Double? {
    if let text = value as? String { return text == "Infinity" ? .infinity : text == "-Infinity" ? -.infinity : nil }
    return (value as? NSNumber)?.doubleValue
  }

  static func close(_ actual: Double, _ expected: Double?) -> Bool {
    guard let expected else { return false }
    if expected.isInfinite { return actual == expected }
    return abs(actual - expected) <= tolerance
  }

  @Test func theFixtureCoversEveryConstraint() {
    let constraints = Set((Self.fixture["cases"] as? [[String: Any]] ?? []).compactMap { $0["constraints"] as? String })
    #expect(constraints == ["demographic_parity", "true_positive_rate_parity", "false_positive_rate_parity", "equalized_odds"])
    #expect(Self.caseNames.count >= 8)
  }

  @Test(arguments: caseNames)
  func thresholdsMixturesAndDisparitiesMatchFairlearn(name: String) throws {
    let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
    let entry = try #require(cases.first { $0["name"] as? String == name })
    let inputs = try #require(entry["inputs"] as? [String: Any])
    let scores = try #require(inputs["scores"] as? [NSNumber]).map(\.doubleValue)
    let labels = try #require(inputs["labels"] as? [Int])
    let groups = try #require(inputs["groups"] as? [String])
    let expected = try #require(entry["expected"] as? [String: Any])
    let constraintName = try #require(entry["constraints"] as? String)
    let constraint = try #require(FairnessConstraint(rawValue: constraintName))
    let gridSize = try #require(entry["grid_size"] as? Int)
    let objective: ThresholdObjective = entry["objective"] as? String == "balanced_accuracy_score" ? .balancedAccuracy : .accuracy
    let optimizer = ThresholdOptimizer(constraint: constraint, objective: objective, gridSize: gridSize)

    let fit = try optimizer.fit(scores: scores, labels: labels, grouping: Grouping(SensitiveAttribute(name: "group", values: groups)))
    #expect(Self.close(fit.bestX, Self.number(expected["x_best"])), "x_best \(fit.bestX)")
    #expect(Self.close(fit.bestY, Self.number(expected["y_best"])), "y_best \(fit.bestY)")

    let byGroup = try #require(expected["by_group"] as? [String: [String: Any]])
    #expect(Set(byGroup.keys) == Set(fit.thresholds.rules.keys))
    for (group, golden) in byGroup {
      let rule = try #require(fit.thresholds.rules[group])
      for (operation, key) in [(rule.operation0, "operation0"), (rule.operation1, "operation1")] {
        let reference = try #require(golden[key] as? [String: Any])
        #expect(operation.comparison.rawValue == reference["operator"] as? String, "\(group) \(key)")
        #expect(Self.close(operation.threshold, Self.number(reference["threshold"])), "\(group) \(key): \(operation.threshold) vs \(reference)")
      }
      #expect(Self.close(rule.p0, Self.number(golden["p0"])), "\(group) p0 \(rule.p0) vs \(golden["p0"] ?? "nil")")
      #expect(Self.close(rule.p1, Self.number(golden["p1"])), "\(group) p1 \(rule.p1)")
      if constraint == .equalizedOdds {
        #expect(Self.close(rule.ignoreProbability, Self.number(golden["p_ignore"])), "\(group) p_ignore \(rule.ignoreProbability)")
        #expect(Self.close(rule.constantProbability, Self.number(golden["prediction_constant"])), "\(group) constant")
      }
    }

    let probabilities = try fit.thresholds.positiveProbabilities(scores: scores, groups: groups)
    let goldenProbabilities = try #require(expected["positive_probabilities"] as? [NSNumber]).map(\.doubleValue)
    let mismatched = zip(probabilities, goldenProbabilities).filter { abs($0 - $1) > Self.tolerance }.count
    #expect(mismatched == 0, "\(mismatched) rows' P(ŷ = 1) differ from fairlearn's")

    // The expected rates of the randomised predictions, by group, and their differences.
    func meanProbability(_ include: (Int) -> Bool) -> Double {
      let rows = probabilities.indices.filter(include)
      return rows.reduce(0.0) { $0 + probabilities[$1] } / Double(rows.count)
    }
    var rates: [String: [Double]] = [:]
    for (group, golden) in byGroup {
      let selection = meanProbability { groups[$0] == group }
      let truePositive = meanProbability { groups[$0] == group && labels[$0] == 1 }
      let falsePositive = meanProbability { groups[$0] == group && labels[$0] == 0 }
      #expect(Self.close(selection, Self.number(golden["expected_selection_rate"])), "\(group) selection rate")
      #expect(Self.close(truePositive, Self.number(golden["expected_true_positive_rate"])), "\(group) TPR")
      #expect(Self.close(falsePositive, Self.number(golden["expected_false_positive_rate"])), "\(group) FPR")
      rates["selection", default: []].append(selection)
      rates["tpr", default: []].append(truePositive)
      rates["fpr", default: []].append(falsePositive)
    }
    let spread = { (key: String) in rates[key]!.max()! - rates[key]!.min()! }
    #expect(Self.close(spread("selection"), Self.number(expected["expected_demographic_parity_difference"])))
    #expect(Self.close(spread("tpr"), Self.number(expected["expected_true_positive_rate_difference"])))
    #expect(Self.close(spread("fpr"), Self.number(expected["expected_false_positive_rate_difference"])))
  }
}
