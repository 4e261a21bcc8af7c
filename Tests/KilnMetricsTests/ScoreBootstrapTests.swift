@testable import KilnMetrics
import KilnRandom
import Testing

@Suite struct ScoreBootstrapTests {
  @Test func weightedAUCAndCalibrationEqualThoseOfRepeatedRows() {
    let weights: [Int32] = [2, 0, 1, 3, 1, 0, 2, 1, 1, 0, 2, 1, 1, 1, 0, 2, 1, 1, 3, 1, 0, 1, 2, 1]
    var labels: [Int] = [], scores: [Double] = []
    for row in binaryLabels.indices {
      for _ in 0..<weights[row] {
        labels.append(binaryLabels[row])
        scores.append(binaryScores[row])
      }
    }
    let ranking = ScoreRanking(labels: binaryLabels, scores: binaryScores)
    let weighted = ranking.rocAUC(sortedCodes: nil, groupCount: 1, sortedWeights: ranking.sorted(weights))[0]
    #expect(abs(weighted - RankingMetrics.rocAUC(labels: labels, scores: scores)) < 1e-12)
    let weightedCalibration = CalibrationMetrics.calibrationErrorsByGroup(labels: binaryLabels, probabilities: binaryScores, codes: nil,
                                                                          groupCount: 1, bins: 5, weights: weights)
    let repeated = CalibrationMetrics.calibrationErrors(labels: labels, probabilities: scores, bins: 5)
    #expect(abs(weightedCalibration.expected[0] - repeated.expected) < 1e-12)
    #expect(abs(weightedCalibration.maximum[0] - repeated.maximum) < 1e-12)
  }

  @Test func drawnWeightsKeepEveryStratumsSize() {
    let labels = [1, 0, 1, 1, 0, 0, 1, 0]
    let ranking = ScoreRanking(labels: labels, scores: [0.9, 0.1, 0.4, 0.3, 0.8, 0.2, 0.6, 0.5])
    let cells: [Int32] = [0, 0, 0, 1, 1, 1, 1, 1]
    let resampler = ScoreBootstrap.resampler(ranking: ranking, cellCodes: cells, cellCount: 2)
    var source = TestGenerator(seed: 8)
    var generator = SeededGenerator(seededFrom: &source)
    var sortedWeights = [Int32](repeating: 0, count: labels.count)
    for _ in 0..<50 {
      resampler.drawWeights(into: &sortedWeights, generator: &generator)
      let weights = ranking.positionOfRow.map { sortedWeights[Int($0)] }
      #expect(weights[0] + weights[2] == 2 && weights[1] == 1)
      #expect(weights[3] + weights[6] == 2 && weights[4] + weights[5] + weights[7] == 3)
    }
  }

  @Test func groupedAUCWithTiesAcrossGroupsMatchesEachGroupAlone() {
    let codes: [Int32] = binaryLabels.indices.map { Int32($0 % 3) }
    let ranking = ScoreRanking(labels: binaryLabels, scores: binaryScores)
    let grouped = ranking.rocAUC(sortedCodes: ranking.sorted(codes), groupCount: 3)
    for group in 0..<3 {
      let rows = binaryLabels.indices.filter { Int(codes[$0]) == group }
      let alone = RankingMetrics.rocAUC(labels: rows.map { binaryLabels[$0] }, scores: rows.map { binaryScores[$0] })
      #expect(abs(grouped[group] - alone) < 1e-12)
    }
  }

  @Test func fusedPassEqualsOneGroupingAtATime() {
    let data = SyntheticPredictions(rows: 600, seed: 4)
    let sex = Grouping(data.attributes[0]), race = Grouping(data.attributes[1])
    let (cells, cellCount) = BootstrapIntervals.finestCells([sex, race], rowCount: data.labels.count)
    let ranking = ScoreRanking(labels: data.labels, scores: data.scores.map { ($0 * 20).rounded() / 20 })
    func cellMap(_ grouping: Grouping) -> [Int] {
      var map = [Int](repeating: 0, count: cellCount)
      for row in cells.indices { map[Int(cells[row])] = Int(grouping.codes[row]) }
      return map
    }
    let groups = ScoreBootstrap.FusedGroups(cellToGroup: [cellMap(sex), cellMap(race)], groupCounts: [2, 5], cellCount: cellCount)
    var source = TestGenerator(seed: 3)
    let weights = ranking.labels.indices.map { _ in Int32.random(in: 0...3, using: &source) }
    let sortedCells = ranking.sorted(cells)
    let auc = ScoreBootstrap.fusedRocAUC(ranking, sortedCells: sortedCells, groups: groups, weights: weights)
    let calibration = ScoreBootstrap.fusedCalibrationError(ranking, cellBins: ScoreBootstrap.cellBins(ranking, sortedCells: sortedCells, bins: 10),
                                                           bins: 10, groups: groups, weights: weights)
    for (offset, grouping) in [(0, sex), (2, race)] {
      let codes = ranking.sorted(grouping.codes)
      let separateAUC = ranking.rocAUC(sortedCodes: codes, groupCount: grouping.groupCount, sortedWeights: weights)
      let separateCalibration = ranking.expectedCalibrationError(sortedCodes: codes, groupCount: grouping.groupCount, bins: 10,
                                                                 sortedWeights: weights)
      for group in 0..<grouping.groupCount {
        #expect(abs(auc[offset + group] - separateAUC[group]) < 1e-12)
        #expect(abs(calibration[offset + group] - separateCalibration[group]) < 1e-12)
      }
    }
  }

  @Test func rocAUCAndCalibrationErrorGetIntervalsPerGroupAndOverall() throws {
    let data = SyntheticPredictions(rows: 4_000, seed: 21)
    var generator = TestGenerator(seed: 2)
    let report = try FairnessAudit.report(labels: data.labels, predictions: data.predictions, scores: data.scores,
                                          attributes: data.attributes,
                                          configuration: .init(bootstrap: BootstrapConfiguration(resamples: 200)), using: &generator)
    let section = try #require(report.section("sex"))
    for estimate in [section.overall["roc_auc"], section.group("Female")?.metrics["roc_auc"],
                     section.group("Male")?.metrics["calibration_error"], section.difference["roc_auc"]?.betweenGroups] {
      let value = try #require(estimate)
      let interval = try #require(value.interval)
      #expect(interval.lower <= value.value && value.value <= interval.upper)
      #expect(interval.upper - interval.lower < 0.1)
    }
  }
}
