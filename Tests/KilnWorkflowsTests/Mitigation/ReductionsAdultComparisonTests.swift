import Foundation
import KilnData
import KilnMetrics
import Testing
@testable import KilnConfiguration
@testable import KilnTraining

/// The acceptance for reductions: on UCI Adult (sex, equalized odds, eps 0.01), Kiln's
/// exponentiated gradient with its own logistic regression reaches an equalized-odds difference
/// on the test split no worse than fairlearn 0.15.0's `ExponentiatedGradient` with scikit-learn's
/// `LogisticRegression` (`Tests/Fixtures/mitigation/adult-reductions-fairlearn.json`, made by
/// `benchmarks/reference/reductions_fairlearn.py` on the same imported rows), at accuracy within
/// 0.005. Each oracle call is a full training, so this runs only when asked
/// (`KILN_ADULT_REDUCTIONS=1`, after `kiln dataset import datasets/adult/dataset.yaml`).
@Suite struct ReductionsAdultComparisonTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  struct Reference: Decodable {
    struct Figures: Decodable { var accuracy: Double; var disparity: Double }
    var fairlearn: String
    var eps: Double
    var unmitigated: Figures
    var mixtureExpected: Figures
  }

  @Test(.enabled(if: ProcessInfo.processInfo.environment["KILN_ADULT_REDUCTIONS"] == "1"))
  func exponentiatedGradientOnAdultIsNoWorseThanFairlearns() throws {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let reference = try decoder.decode(Reference.self, from: Data(contentsOf: Self.root.appendingPathComponent(
      "Tests/Fixtures/mitigation/adult-reductions-fairlearn.json")))
    #expect(reference.fairlearn == "0.15.0")
    let configuration = try ExperimentConfiguration.parse("""
      name: adult-sex-reductions
      dataset: datasets/adult/adult.h5
      model: {kind: logistic_regression}
      training: {epochs: 20, batch_size: 1024, seed: 7, optimizer: {kind: adam, lr: 1.0e-2}}
      evaluation: {sensitive: [sex]}
      mitigation:
        reductions: {method: exponentiated_gradient, constraint: equalized_odds, sensitive: [sex], difference_bound: \(reference.eps), eps: \(reference.eps)}
      """, file: "adult-sex-reductions.yaml")
    let layout = ProjectLayout(root: Self.root)
    let started = Date()
    let fitted = try Trainer.fitReductions(configuration, layout: layout)
    let dataset = try KilnDataset.open(Trainer.datasetURL(configuration, layout: layout))
    let rows = try dataset.rows(split: "test")
    let grouping = try dataset.metadata.grouping(of: ["sex"], rows: rows, key: "test")
    let decisions = fitted.mixture.hypotheses.enumerated().map { index, hypothesis -> [Double] in
      guard fitted.mixture.weights[index] != 0 else { return [] }
      switch hypothesis {
      case .constant(let value): return [Double](repeating: value, count: rows.rowCount)
      case .fitted(let call): return ReductionLearner.predictions(of: fitted.models[call], head: .binary, rows: rows)
      }
    }
    let probabilities = fitted.mixture.positiveProbabilities(decisions: decisions, rowCount: rows.rowCount)
    let labels = rows.labels.map(Double.init)
    let accuracy = zip(probabilities, labels).reduce(0.0) { $0 + ($1.1 == 1 ? $1.0 : 1 - $1.0) } / Double(rows.rowCount)
    // The equalized-odds difference of the expected decisions: the larger of the TPR and FPR gaps.
    let moment = try ReductionMoment(constraint: .equalizedOdds, labels: labels, grouping: grouping, bound: 0)
    let gamma = moment.gamma(probabilities)
    var gaps: [String: (low: Double, high: Double)] = [:]
    for (key, value) in zip(moment.keys, gamma) where key.sign == .plus {
      let event = key.event ?? ""
      let current = gaps[event] ?? (.infinity, -.infinity)
      gaps[event] = (min(current.low, value), max(current.high, value))
    }
    let disparity = gaps.values.map { $0.high - $0.low }.max() ?? .nan
    print("kiln exponentiated gradient on adult: test accuracy \(accuracy), equalized odds difference \(disparity), "
          + "\(fitted.mixture.hypotheses.count) hypotheses, \(fitted.models.count) trainings, \(Int(Date().timeIntervalSince(started))) s; "
          + "fairlearn: \(reference.mixtureExpected.accuracy), \(reference.mixtureExpected.disparity)")
    #expect(disparity <= reference.mixtureExpected.disparity + 1e-9)
    #expect(abs(accuracy - reference.mixtureExpected.accuracy) <= 0.005)
  }
}
