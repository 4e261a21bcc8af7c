import Foundation
import KilnMetrics
import Testing

/// The reductions' moments against fairlearn 0.15.0's on fixed labels, groups, predictions and
/// multipliers (`Tests/Fixtures/mitigation/reductions.json`, made by `make_reductions_golden.py`;
/// the README gives the provenance): constraint keys, γ, the objective, the signed weights, the
/// projected multipliers and the grid basis, to 1e-12.
@Suite struct ReductionMomentFairlearnGoldenTests {
  static var caseNames: [String] { ReductionGoldens.fixture?.moments.map(\.name) ?? [] }

  @Test func theFixtureComesFromFairlearn0150AndCoversEveryConstraint() throws {
    let fixture = try #require(ReductionGoldens.fixture)
    #expect(fixture.fairlearn == "0.15.0")
    #expect(Set(fixture.moments.map(\.constraint)) == Set(ReductionConstraint.allCases))
  }

  @Test(arguments: caseNames)
  func momentMatchesFairlearn(name: String) throws {
    let entry = try #require(ReductionGoldens.fixture?.moments.first { $0.name == name })
    let moment = try ReductionMoment(constraint: entry.constraint, labels: entry.inputs.labels,
                                     grouping: ReductionGoldens.grouping(entry.inputs.sensitive), bound: entry.bound,
                                     lossRange: entry.constraint == .boundedGroupLoss ? 0...1 : nil)
    let expected = entry.expected
    // fairlearn orders intersections by their joined names; compare each constraint by its key.
    let names = moment.keys.map(\.name)
    #expect(names.sorted() == expected.keys.sorted())
    let fromFairlearn = try expected.keys.map { key in try #require(names.firstIndex(of: key)) }
    let lambda = permuted(entry.inputs.lambda, into: fromFairlearn, count: names.count)

    expectClose(moment.gamma(entry.inputs.predictions), permuted(expected.gamma, into: fromFairlearn, count: names.count), "gamma")
    #expect(abs(moment.objective(entry.inputs.predictions) - expected.objective) < 1e-12)
    expectClose(moment.signedWeights(lambda), expected.signedWeights, "signed weights")
    expectClose(moment.objectiveSignedWeights, expected.objectiveSignedWeights, "objective weights")
    expectClose(moment.projected(lambda), permuted(expected.projectedLambda, into: fromFairlearn, count: names.count), "projection")
    #expect(moment.bounds == [Double](repeating: entry.bound, count: names.count))

    let basis = moment.gridBasis()
    #expect(basis.count == expected.basis.count)
    for (column, want) in zip(basis, expected.basis) {
      #expect(column.plus.map { names[$0] } == want.plus)
      #expect(column.minus.map { names[$0] } == want.minus)
      #expect(column.negativeAllowed == want.negativeAllowed)
    }
  }

  @Test func aNonBinaryLabelIsRefusedForAClassificationConstraint() {
    let grouping = Grouping(SensitiveAttribute(name: "sex", values: ["F", "M"]))
    #expect(throws: MitigationError.self) {
      _ = try ReductionMoment(constraint: .demographicParity, labels: [0, 0.5], grouping: grouping, bound: 0.01)
    }
    #expect(throws: MitigationError.self) {
      _ = try ReductionMoment(constraint: .equalizedOdds, labels: [0, 1], grouping: grouping, bound: -1)
    }
  }

  func permuted(_ values: [Double], into positions: [Int], count: Int) -> [Double] {
    var result = [Double](repeating: .nan, count: count)
    for (value, position) in zip(values, positions) { result[position] = value }
    return result
  }
}

func expectClose(_ actual: [Double], _ expected: [Double], _ what: String, tolerance: Double = 1e-12,
                 sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(actual.count == expected.count, "\(what): \(actual.count) values for \(expected.count)", sourceLocation: sourceLocation)
  for (index, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= tolerance * max(1, abs(e))) {
    Issue.record("\(what)[\(index)]: \(a), fairlearn \(e)", sourceLocation: sourceLocation)
    return
  }
}

/// The decoded `reductions.json`.
enum ReductionGoldens {
  struct Fixture: Decodable {
    var fairlearn: String
    var moments: [MomentCase]
    var exponentiatedGradient: [ExponentiatedGradientCase]
    var gridSearch: [GridSearchCase]
  }

  struct MomentCase: Decodable {
    struct Inputs: Decodable { var labels: [Double]; var sensitive: [[String]]; var predictions: [Double]; var lambda: [Double] }
    struct Column: Decodable { var plus: String?; var minus: String?; var negativeAllowed: Bool }
    struct Expected: Decodable {
      var keys: [String]
      var gamma: [Double]
      var objective: Double
      var signedWeights: [Double]
      var objectiveSignedWeights: [Double]
      var projectedLambda: [Double]
      var basis: [Column]
    }
    var name: String
    var constraint: ReductionConstraint
    var bound: Double
    var inputs: Inputs
    var expected: Expected
  }

  struct ReductionInputs: Decodable { var features: [[Double]]; var labels: [Double]; var sensitive: [[String]] }

  struct ExponentiatedGradientCase: Decodable {
    struct Hypothesis: Decodable { var predictions: [Double]; var gamma: [Double] }
    struct Expected: Decodable {
      var weights: [Double]
      var hypotheses: [Hypothesis]
      var lambdaEg: [[Double]]
      var bestIteration: Int
      var bestGap: Double
      var lastIteration: Int
      var nu: Double
      var oracleCalls: Int
      var keys: [String]
      var positiveProbabilities: [Double]?
    }
    var name: String
    var constraint: ReductionConstraint
    var bound: Double
    var eps: Double
    var maxIter: Int
    var runLinprogStep: Bool
    var inputs: ReductionInputs
    var expected: Expected
  }

  struct GridSearchCase: Decodable {
    struct Expected: Decodable {
      var keys: [String]
      var lambdas: [[Double]]
      var objectives: [Double]
      var gammas: [[Double]]
      var predictions: [[Double]]
      var bestIndex: Int
    }
    var name: String
    var constraint: ReductionConstraint
    var bound: Double
    var gridSize: Int
    var gridLimit: Double
    var inputs: ReductionInputs
    var expected: Expected
  }

  static let fixture: Fixture? = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Tests/Fixtures/mitigation/reductions.json")
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try? decoder.decode(Fixture.self, from: Data(contentsOf: url))
  }()

  /// One attribute, or the intersection of several (named s0, s1, …).
  static func grouping(_ sensitive: [[String]]) -> Grouping {
    let parts = sensitive.enumerated().map { Grouping(SensitiveAttribute(name: "s\($0.offset)", values: $0.element)) }
    return parts.count == 1 ? parts[0] : Grouping(intersecting: parts)
  }
}
