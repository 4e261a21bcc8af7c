import Foundation
import KilnMetrics
import Testing

@Suite struct GroupThresholdsTests {
  static let rule = ThresholdMixture(p0: 0.25, operation0: ThresholdOperation(.above, 0.6), p1: 0.75,
                                     operation1: ThresholdOperation(.above, -.infinity))
  static let thresholds = GroupThresholds(constraint: .demographicParity, objective: .accuracy, grouping: "sex", attributes: ["sex"],
                                          rules: ["Female": rule, "Male": ThresholdMixture(p0: 1, operation0: ThresholdOperation(.above, 0.5),
                                                                                           p1: 0, operation1: ThresholdOperation(.above, .infinity))])

  @Test func aRowIsPositiveWithItsMixtureProbability() throws {
    let probabilities = try Self.thresholds.positiveProbabilities(scores: [0.7, 0.2, 0.7, 0.2], groups: ["Female", "Female", "Male", "Male"])
    #expect(probabilities == [1, 0.75, 1, 0])
    let count = 20_000
    let decisions = try Self.thresholds.predictions(scores: Array(repeating: 0.2, count: count), groups: Array(repeating: "Female", count: count),
                                                    rowIDs: Array(0..<count), seed: 7)
    let rate = Double(decisions.reduce(0, +)) / Double(count)
    // Binomial(20000, 0.75): five standard deviations are 0.015.
    #expect(abs(rate - 0.75) < 0.015)
  }

  @Test func aRowsDecisionDependsOnTheSeedAndTheRowAlone() throws {
    let scores = (0..<200).map { Double($0 % 10) / 10 }
    let groups = (0..<200).map { $0 % 3 == 0 ? "Male" : "Female" }
    let all = try Self.thresholds.predictions(scores: scores, groups: groups, rowIDs: Array(0..<200), seed: 11)
    let secondHalf = try Self.thresholds.predictions(scores: Array(scores[100...]), groups: Array(groups[100...]),
                                                     rowIDs: Array(100..<200), seed: 11)
    #expect(Array(all[100...]) == secondHalf)
    let otherSeed = try Self.thresholds.predictions(scores: scores, groups: groups, rowIDs: Array(0..<200), seed: 12)
    #expect(all != otherSeed)
  }

  @Test func aGroupWithoutThresholdsIsAnErrorNamingTheKnownGroups() {
    #expect {
      try Self.thresholds.positiveProbabilities(scores: [0.5], groups: ["Other"])
    } throws: { error in
      "\(error)".contains("`sex` = `Other` has no fitted threshold (the model knows: Female, Male)")
    }
  }

  @Test func infiniteThresholdsSurviveJSON() throws {
    let data = try JSONEncoder().encode(Self.thresholds)
    #expect(String(decoding: data, as: UTF8.self).contains("\"-Infinity\""))
    #expect(try JSONDecoder().decode(GroupThresholds.self, from: data) == Self.thresholds)
  }

  @Test func aGroupWithOneLabelCannotBeFitted() {
    let grouping = Grouping(SensitiveAttribute(name: "sex", values: ["a", "a", "b", "b"]))
    #expect {
      try ThresholdOptimizer(constraint: .equalizedOdds).fit(scores: [0.1, 0.9, 0.2, 0.8], labels: [0, 1, 1, 1], grouping: grouping)
    } throws: { error in
      "\(error)".contains("group `b` of `sex` has only positive labels")
    }
  }

  @Test func nonFiniteScoresAreRefusedWithTheRow() {
    let grouping = Grouping(SensitiveAttribute(name: "sex", values: ["a", "a", "b", "b"]))
    #expect {
      try ThresholdOptimizer(constraint: .demographicParity).fit(scores: [0.1, .nan, 0.2, 0.8], labels: [0, 1, 0, 1], grouping: grouping)
    } throws: { error in
      "\(error)".contains("row 1 has the score nan")
    }
  }
}

@Suite struct ThresholdOptimizerIntersectionTests {
  @Test func anIntersectionGetsOneRulePerCellWithRowsAndSkipsEmptyCells() throws {
    var generator = TestGenerator(seed: 5)
    var sex: [String] = [], race: [String] = [], labels: [Int] = [], scores: [Double] = []
    for _ in 0..<600 {
      let female = Double.random(in: 0..<1, using: &generator) < 0.5
      // No row is Female and c: that cell of the product stays empty.
      let races = female ? ["a", "b"] : ["a", "b", "c"]
      let label = Double.random(in: 0..<1, using: &generator) < (female ? 0.3 : 0.5) ? 1 : 0
      sex.append(female ? "Female" : "Male")
      race.append(races[Int.random(in: 0..<races.count, using: &generator)])
      labels.append(label)
      scores.append(min(max(0.35 * Double(label) + 0.6 * Double.random(in: 0..<1, using: &generator), 0), 1))
    }
    let grouping = Grouping(intersecting: [Grouping(SensitiveAttribute(name: "sex", values: sex)),
                                           Grouping(SensitiveAttribute(name: "race", values: race))])
    #expect(grouping.groupCount == 6)
    let fit = try ThresholdOptimizer(constraint: .equalizedOdds).fit(scores: scores, labels: labels, grouping: grouping)
    #expect(Set(fit.thresholds.rules.keys) == ["Female&a", "Female&b", "Male&a", "Male&b", "Male&c"])
    #expect(fit.thresholds.grouping == "sex&race" && fit.thresholds.attributes == ["sex", "race"])
    // Every cell reaches the common false-positive rate exactly in expectation (on the rows it was fitted to).
    let probabilities = try fit.thresholds.positiveProbabilities(scores: scores, groups: sex.indices.map { "\(sex[$0])&\(race[$0])" })
    for cell in fit.thresholds.rules.keys {
      let negatives = sex.indices.filter { "\(sex[$0])&\(race[$0])" == cell && labels[$0] == 0 }
      let falsePositiveRate = negatives.reduce(0.0) { $0 + probabilities[$1] } / Double(negatives.count)
      #expect(abs(falsePositiveRate - fit.bestX) < 1e-9, "\(cell): FPR \(falsePositiveRate) vs \(fit.bestX)")
    }
  }
}
