@testable import KilnMetrics
import KilnRandom
import Testing

/// A metric defined here, as a function of (labels, predictions, weights), gets by-group values,
/// disparities and intervals for every label kind, through the same frame and report.
@Suite struct MetricFrameFunctionTests {
  /// Σ w·|label − prediction| / Σ w: the error rate of a binary model, the mean class distance of
  /// a multi-class one, the mean absolute error of a regressor.
  static let meanAbsoluteGap = Metric("mean_absolute_gap") { labels, predictions, weights in
    var total = 0.0, weight = 0.0
    for row in labels.indices {
      total += weights[row] * abs(labels[row] - predictions[row])
      weight += weights[row]
    }
    return total / weight
  }

  /// Rows of one label kind with two attributes: class codes below `classCount`, or targets (classCount nil).
  func rows(_ count: Int, classCount: Int?, seed: UInt64) -> (labels: [Double], predictions: [Double], attributes: [SensitiveAttribute]) {
    var generator = SeededGenerator(seed: seed, stream: 0)
    var labels: [Double] = [], predictions: [Double] = [], sex: [String] = [], band: [String] = []
    for _ in 0..<count {
      let female = generator.nextDouble() < 0.4
      if let classCount {
        let label = Int(generator.uniformIndex(below: UInt64(classCount)))
        let wrong = generator.nextDouble() < (female ? 0.35 : 0.2)
        labels.append(Double(label))
        predictions.append(Double(wrong ? (label + 1) % classCount : label))
      } else {
        let target = generator.nextNormal() * 3 + 10
        labels.append(target)
        predictions.append(target + generator.nextNormal() * (female ? 2 : 1))
      }
      sex.append(female ? "F" : "M")
      band.append(["a", "b", "c"][Int(generator.uniformIndex(below: 3))])
    }
    return (labels, predictions, [SensitiveAttribute(name: "sex", values: sex), SensitiveAttribute(name: "band", values: band)])
  }

  @Test(arguments: [("binary", 2), ("multiclass", 4), ("regression", 0)])
  func aTestMetricGetsGroupValuesDisparitiesAndIntervals(kind: String, classCount: Int) throws {
    let data = rows(300, classCount: classCount == 0 ? nil : classCount, seed: 7)
    var generator = SeededGenerator(seed: 3, stream: 0)
    let report = try FairnessAudit.report(
      metrics: [Self.meanAbsoluteGap], labels: data.labels, predictions: data.predictions, kind: kind,
      classCount: classCount == 0 ? nil : classCount, attributes: data.attributes,
      configuration: .init(intersections: [["sex", "band"]], bootstrap: BootstrapConfiguration(resamples: 300)), using: &generator)
    #expect(report.kind == kind && report.metrics == ["mean_absolute_gap"])
    let section = try #require(report.section("sex"))
    var byGroup: [String: Double] = [:]
    for name in ["F", "M"] {
      let members = data.attributes[0].values.indices.filter { data.attributes[0].values[$0] == name }
      let expected = members.reduce(0) { $0 + abs(data.labels[$1] - data.predictions[$1]) } / Double(members.count)
      let estimate = try #require(section.group(name)?.metrics["mean_absolute_gap"])
      #expect(abs(estimate.value - expected) <= 1e-12, "\(kind) \(name): \(estimate.value) vs \(expected)")
      let interval = try #require(estimate.interval)
      #expect(interval.method == .percentile && interval.lower <= interval.upper)
      byGroup[name] = estimate.value
    }
    let difference = try #require(section.difference["mean_absolute_gap"])
    #expect(abs(difference.betweenGroups.value - abs(byGroup["F"]! - byGroup["M"]!)) <= 1e-12)
    let ratio = try #require(section.ratio["mean_absolute_gap"])
    #expect(abs(ratio.betweenGroups.value - min(byGroup["F"]!, byGroup["M"]!) / max(byGroup["F"]!, byGroup["M"]!)) <= 1e-12)
    for estimate in [difference.betweenGroups, difference.toOverall, ratio.betweenGroups, ratio.toOverall] {
      let interval = try #require(estimate.interval, "\(kind): a disparity without an interval")
      #expect(interval.method == .bca || interval.method == .percentileBCaUndefined)
    }
    #expect(difference.betweenGroups.interval?.method == .bca)
    let named = report.namedMetrics()
    for name in ["fairness.sex.mean_absolute_gap_difference", "fairness.sex&band.groups.F&a.mean_absolute_gap",
                 "fairness.band.ratio.mean_absolute_gap.to_overall", "fairness.sex.overall.mean_absolute_gap"] {
      #expect(named[name] != nil, "\(kind): missing \(name)")
    }
  }

  @Test func aFunctionGivesTheBuiltInRegressionValuesAndIntervals() throws {
    let data = rows(200, classCount: nil, seed: 9)
    var first = SeededGenerator(seed: 5, stream: 0), second = first
    let configuration = FairnessAudit.Configuration(bootstrap: BootstrapConfiguration(resamples: 200))
    let function = try FairnessAudit.report(metrics: [Self.meanAbsoluteGap], labels: data.labels, predictions: data.predictions,
                                            kind: "regression", attributes: data.attributes, configuration: configuration, using: &first)
    let builtIn = try FairnessAudit.regression(targets: data.labels, predictions: data.predictions, attributes: data.attributes,
                                               configuration: configuration, using: &second)
    for section in ["sex", "band"] {
      let mine = try #require(function.section(section)), theirs = try #require(builtIn.section(section))
      for group in mine.groups {
        let a = try #require(group.metrics["mean_absolute_gap"]), b = try #require(theirs.group(group.name)?.metrics["mae"])
        #expect(abs(a.value - b.value) <= 1e-12 && a.interval == b.interval, "\(section).\(group.name)")
      }
      let a = try #require(mine.difference["mean_absolute_gap"]?.betweenGroups), b = try #require(theirs.difference["mae"]?.betweenGroups)
      #expect(abs(a.value - b.value) <= 1e-12)
      // The jackknife recomputes the function but updates the built-in's sums: the same BCa interval up to rounding.
      let x = try #require(a.interval), y = try #require(b.interval)
      #expect(x.method == y.method && abs(x.lower - y.lower) <= 1e-9 && abs(x.upper - y.upper) <= 1e-9)
    }
  }

  @Test func aBinaryFunctionAgreesWithTheConfusionCountFastPath() throws {
    let data = rows(400, classCount: 2, seed: 11)
    let selection = Metric("selection_rate") { _, predictions, weights in
      zip(predictions, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
    }
    let grouping = Grouping(data.attributes[0])
    let function = MetricFrame(metrics: [selection], labels: data.labels, predictions: data.predictions, grouping: grouping)
    let counts = MetricFrame(labels: data.labels.map { Int($0) }, predictions: data.predictions.map { Int($0) }, grouping: grouping)
    #expect(!function.isConfusionFrame && counts.isConfusionFrame)
    for (a, b) in zip(function.byGroup("selection_rate"), counts.byGroup(.selectionRate)) { #expect(abs(a - b) <= 1e-12) }
    for method in DisparityMethod.allCases {
      #expect(abs(function.difference("selection_rate", method: method) - counts.measure(.demographicParityDifference, method: method)) <= 1e-12)
      #expect(abs(function.ratio("selection_rate", method: method) - counts.measure(.demographicParityRatio, method: method)) <= 1e-12)
    }
  }
}
