import Foundation
import KilnMetrics
import Testing

/// Reweighing against AIF360 0.6.1's `Reweighing` (`Tests/Fixtures/mitigation/reweighing.json`;
/// its README gives the provenance): every (group, label) weight and every row's weight, exactly.
@Suite struct ReweighingAIF360GoldenTests {
  struct Fixture: Decodable {
    struct Case: Decodable {
      struct Inputs: Decodable { var labels: [Int]; var groups: [String] }
      struct Expected: Decodable {
        var cellWeights: [String: [String: Double]]
        var rowWeights: [Double]
        enum CodingKeys: String, CodingKey { case cellWeights = "cell_weights", rowWeights = "row_weights" }
      }
      var name: String
      var inputs: Inputs
      var expected: Expected
    }
    var aif360: String
    var cases: [Case]
  }

  // JSONDecoder parses doubles exactly (JSONSerialization's NSNumber can be off in the last bit).
  static let fixture: Fixture? = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Tests/Fixtures/mitigation/reweighing.json")
    return try? JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  static var caseNames: [String] { fixture?.cases.map(\.name) ?? [] }

  @Test func theFixtureHoldsTwoAndManyGroupsFromAIF360() throws {
    let fixture = try #require(Self.fixture)
    #expect(fixture.aif360 == "0.6.1")
    #expect(Self.caseNames == ["two_groups", "four_groups"])
  }

  @Test(arguments: caseNames)
  func weightsEqualAIF360sExactly(name: String) throws {
    let entry = try #require(Self.fixture?.cases.first { $0.name == name })
    let labels = entry.inputs.labels
    let grouping = Grouping(SensitiveAttribute(name: "group", values: entry.inputs.groups))
    let reweighing = try Reweighing(labels: labels, grouping: grouping)

    for (group, byLabel) in entry.expected.cellWeights {
      let code = try #require(reweighing.groupNames.firstIndex(of: group))
      for (label, weight) in byLabel {
        #expect(reweighing.weights[code][Int(label)!] == weight, "\(group), label \(label)")
      }
    }
    let rows = reweighing.rowWeights(labels: labels, groupCodes: grouping.codes)
    #expect(rows == entry.expected.rowWeights)
    // In the weighted rows, the label is independent of the group: equal weighted positive rates.
    for code in 0..<grouping.groupCount {
      let members = labels.indices.filter { grouping.codes[$0] == code }
      let weighted = members.reduce(0.0) { $0 + rows[$1] * Double(labels[$1]) } / members.reduce(0.0) { $0 + rows[$1] }
      #expect(abs(weighted - Double(labels.reduce(0, +)) / Double(labels.count)) < 1e-12)
    }
  }

  @Test func labelsOutsideTheClassesAreRefusedWithTheRow() {
    let grouping = Grouping(SensitiveAttribute(name: "sex", values: ["a", "b", "a"]))
    #expect(throws: MitigationError.self) { try Reweighing(labels: [0, 2, 1], grouping: grouping) }
  }
}
