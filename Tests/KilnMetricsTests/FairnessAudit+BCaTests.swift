@testable import KilnMetrics
import KilnRandom
import Testing

/// Multi-class and regression disparities get BCa intervals from an exact jackknife, as binary
/// disparities do: each leave-one-out value equals recomputing the statistics without that row.
@Suite struct FairnessAuditBCaTests {
  /// Rows with two attributes, a skewed error and a group that is much worse.
  func regressionRows(_ count: Int, seed: UInt64) -> (targets: [Double], predictions: [Double], attributes: [SensitiveAttribute]) {
    var generator = SeededGenerator(seed: seed, stream: 0)
    var targets: [Double] = [], predictions: [Double] = [], sex: [String] = [], band: [String] = []
    for _ in 0..<count {
      let target = generator.nextNormal() * 3 + 10
      let female = generator.nextDouble() < 0.3
      let error = generator.nextNormal() * (female ? 2 : 1) + (generator.nextDouble() < 0.05 ? 8 : 0)
      targets.append(target)
      predictions.append(target + error)
      sex.append(female ? "F" : "M")
      band.append(["a", "b", "c"][Int(generator.uniformIndex(below: 3))])
    }
    return (targets, predictions, [SensitiveAttribute(name: "sex", values: sex), SensitiveAttribute(name: "band", values: band)])
  }

  func frames(_ rows: MetricRows, _ attributes: [SensitiveAttribute]) throws -> ([MetricFrame], [Int32]) {
    let singles = attributes.map(Grouping.init)
    let groupings = singles + (try FairnessAudit.intersections([["sex", "band"]], of: singles))
    return (groupings.map { MetricFrame(metrics: rows.metrics, labels: rows.labels, predictions: rows.predictions, grouping: $0) },
            BootstrapIntervals.finestCells(singles, rowCount: attributes[0].values.count).codes)
  }

  @Test func regressionLeaveOneOutEqualsRecomputingWithoutTheRow() throws {
    let rows = regressionRows(60, seed: 3)
    let source = MetricRows(metrics: Metric.regression, labels: rows.targets, predictions: rows.predictions)
    let (frames, cells) = try frames(source, rows.attributes)
    let jackknife = MetricFrame.jackknife(frames, rows: source, cells: cells)
    #expect(jackknife.count == 60 && jackknife.allSatisfy { $0.weight == 1 })
    for row in [0, 17, 59] {
      var weights = [Int32](repeating: 1, count: 60)
      weights[row] = 0
      for (index, frame) in frames.enumerated() {
        let expected = frame.flattened(weights: weights), found = jackknife[row].frames[index]
        for (a, b) in zip(expected, found) where !(a.isNaN && b.isNaN) {
          #expect(abs(a - b) <= 1e-9 * max(1, abs(a)), "row \(row), frame \(frame.grouping.name): \(a) vs \(b)")
        }
      }
    }
  }

  @Test func multiclassLeaveOneOutSharesEntriesAmongIdenticalRows() throws {
    var generator = SeededGenerator(seed: 5, stream: 0)
    let labels = (0..<300).map { _ in Int(generator.uniformIndex(below: 3)) }
    let predicted = labels.map { generator.nextDouble() < 0.7 ? $0 : Int(generator.uniformIndex(below: 3)) }
    let sex = (0..<300).map { _ in generator.nextDouble() < 0.4 ? "F" : "M" }
    let band = (0..<300).map { _ in ["a", "b"][Int(generator.uniformIndex(below: 2))] }
    let source = MetricRows(metrics: Metric.multiclass(classCount: 3), labels: labels.map(Double.init), predictions: predicted.map(Double.init))
    let (frames, cells) = try frames(source, [SensitiveAttribute(name: "sex", values: sex), SensitiveAttribute(name: "band", values: band)])
    let jackknife = MetricFrame.jackknife(frames, rows: source, cells: cells)
    #expect(jackknife.reduce(0) { $0 + $1.weight } == 300)
    #expect(jackknife.count <= 4 * 9, "one entry per (cell, class, prediction)")
    // The first row's entry is the value without row 0.
    var weights = [Int32](repeating: 1, count: 300)
    weights[0] = 0
    #expect(jackknife[0].frames[0] == frames[0].flattened(weights: weights))
  }

  @Test func regressionDisparitiesUseBCaAndHoldTheirEstimate() throws {
    let rows = regressionRows(400, seed: 11)
    var generator = SeededGenerator(seed: 2, stream: 0)
    let audit = try FairnessAudit.regression(
      targets: rows.targets, predictions: rows.predictions, attributes: rows.attributes,
      configuration: FairnessAudit.Configuration(intersections: [["sex", "band"]], bootstrap: BootstrapConfiguration(resamples: 400)),
      using: &generator)
    var checked = 0
    for section in audit.sections {
      for metric in audit.metrics ?? [] {
        for estimate in [section.difference[metric]?.betweenGroups, section.ratio[metric]?.toOverall].compactMap({ $0 }) where estimate.isDefined {
          let interval = try #require(estimate.interval)
          #expect(interval.method == .bca || interval.method == .percentileBCaUndefined)
          if interval.method == .bca {
            checked += 1
            #expect(interval.lower <= estimate.value && estimate.value <= interval.upper,
                    "\(section.name) \(metric): \(estimate.value) outside [\(interval.lower), \(interval.upper)]")
          }
        }
        // Per-group values keep percentile intervals.
        #expect(section.groups.first?.metrics[metric]?.interval?.method ?? .percentile == .percentile)
      }
    }
    #expect(checked >= 20, "BCa intervals were computed for only \(checked) disparities")
  }
}
