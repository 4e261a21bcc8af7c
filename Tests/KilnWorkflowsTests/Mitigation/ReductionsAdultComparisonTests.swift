import Foundation
import KilnData
import KilnMetrics
import KilnTensor
import Testing
@testable import KilnConfiguration
@testable import KilnTraining

/// The acceptance for reductions: on UCI Adult (sex, equalized odds, eps 0.01), Kiln's
/// exponentiated gradient with its own logistic regression against fairlearn 0.15.0's
/// `ExponentiatedGradient` with scikit-learn's `LogisticRegression`
/// (`Tests/Fixtures/mitigation/adult-reductions-fairlearn.json`, made by
/// `benchmarks/reference/reductions_fairlearn.py` on the same imported rows): a
/// constraint violation on the train split (where the constraint is imposed, and which eps bounds)
/// no worse than fairlearn's, at test accuracy within 0.005; the test split's equalized-odds
/// difference is printed beside fairlearn's and must stay far below the unmitigated model's.
/// Each oracle call is a full training, so this runs only when asked
/// (`KILN_ADULT_REDUCTIONS=1`, after `kiln dataset import datasets/adult/dataset.yaml`);
/// `KILN_ADULT_OVERRIDES="KEY=VALUE …"` (as `--set` takes them) measures another learner setting.
@Suite struct ReductionsAdultComparisonTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  struct Reference: Decodable {
    struct Figures: Decodable { var accuracy: Double; var disparity: Double }
    struct TrainFigures: Decodable { var accuracy: Double; var disparity: Double; var violation: Double }
    struct Train: Decodable { var rows: Int; var unmitigatedLogLoss: Double; var mixtureExpected: TrainFigures }
    var fairlearn: String
    var eps: Double
    var unmitigated: Figures
    var mixtureExpected: Figures
    var train: Train
  }

  static func reference() throws -> Reference {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let reference = try decoder.decode(Reference.self, from: Data(contentsOf: root.appendingPathComponent(
      "Tests/Fixtures/mitigation/adult-reductions-fairlearn.json")))
    #expect(reference.fairlearn == "0.15.0")
    return reference
  }

  /// The learner's settings, chosen on the train split alone: scikit-learn's objective, and trained
  /// to its optimum (`theLearnerReachesScikitLearnsOptimum`). `LogisticRegression()` minimises
  /// C·Σᵢ wᵢlᵢ + ½‖θ‖² with C = 1 and the intercept unpenalised; divided by C·n (the learner's
  /// weights have mean 1) that is (1/n)·Σᵢ wᵢlᵢ + (λ/2)‖θ‖² with λ = 1/n, the L2 weight decay Adam
  /// adds to the gradient (biases are not decayed). Twenty epochs of batches of 1024 under a
  /// cosine decay from 0.3 reach that optimum on the equally weighted problem (BENCHMARKS.md,
  /// "Reductions on Adult", lists every setting tried and its train loss).
  static func configuration(reference: Reference) throws -> ExperimentConfiguration {
    let eps = reference.eps
    return try ExperimentConfiguration.parse("""
      name: adult-sex-reductions
      dataset: datasets/adult/adult.h5
      model: {kind: logistic_regression}
      training:
        epochs: 20
        batch_size: 1024
        seed: 7
        optimizer: {kind: adam, lr: 0.3, weight_decay: \(1 / Double(reference.train.rows))}
        schedule: {kind: cosine}
      evaluation: {sensitive: [sex]}
      mitigation:
        reductions: {method: exponentiated_gradient, constraint: equalized_odds, sensitive: [sex], difference_bound: \(eps), eps: \(eps)}
      """, file: "adult-sex-reductions.yaml",
      overrides: (ProcessInfo.processInfo.environment["KILN_ADULT_OVERRIDES"] ?? "").split(separator: " ").map(String.init))
  }

  /// The accuracy and equalized-odds difference (the larger of the TPR and FPR gaps) of the
  /// expected decisions P(ŷ = 1) on `rows`.
  static func figures(probabilities: [Double], rows: Batch, dataset: KilnDataset) throws -> (accuracy: Double, disparity: Double) {
    let labels = rows.labels.map(Double.init)
    let accuracy = zip(probabilities, labels).reduce(0.0) { $0 + ($1.1 == 1 ? $1.0 : 1 - $1.0) } / Double(rows.rowCount)
    let grouping = try dataset.metadata.grouping(of: ["sex"], rows: rows, key: "sex")
    let moment = try ReductionMoment(constraint: .equalizedOdds, labels: labels, grouping: grouping, bound: 0)
    var gaps: [String: (low: Double, high: Double)] = [:]
    for (key, value) in zip(moment.keys, moment.gamma(probabilities)) where key.sign == .plus {
      let event = key.event ?? ""
      let current = gaps[event] ?? (.infinity, -.infinity)
      gaps[event] = (min(current.low, value), max(current.high, value))
    }
    return (accuracy, gaps.values.map { $0.high - $0.low }.max() ?? .nan)
  }

  @Test(.enabled(if: ProcessInfo.processInfo.environment["KILN_ADULT_REDUCTIONS"] == "1"))
  func exponentiatedGradientOnAdultIsNoWorseThanFairlearns() throws {
    let reference = try Self.reference()
    let configuration = try Self.configuration(reference: reference)
    let layout = ProjectLayout(root: Self.root)
    let started = Date()
    let fitted = try Trainer.fitReductions(configuration, layout: layout)
    let seconds = Date().timeIntervalSince(started)
    let dataset = try KilnDataset.open(Trainer.datasetURL(configuration, layout: layout))
    let trainRows = try dataset.rows(split: "train")
    let train = try Self.figures(probabilities: fitted.mixture.positiveProbabilities(decisions: fitted.trainPredictions, rowCount: trainRows.rowCount),
                                 rows: trainRows, dataset: dataset)
    let trainViolation = max(0, train.disparity - reference.eps)
    let rows = try dataset.rows(split: "test")
    let decisions = fitted.mixture.hypotheses.enumerated().map { index, hypothesis -> [Double] in
      guard fitted.mixture.weights[index] != 0 else { return [] }
      switch hypothesis {
      case .constant(let value): return [Double](repeating: value, count: rows.rowCount)
      case .fitted(let call): return ReductionLearner.predictions(of: fitted.models[call], head: .binary, rows: rows)
      }
    }
    let test = try Self.figures(probabilities: fitted.mixture.positiveProbabilities(decisions: decisions, rowCount: rows.rowCount),
                                rows: rows, dataset: dataset)
    let fairlearn = reference.train.mixtureExpected
    print("kiln exponentiated gradient on adult: train accuracy \(train.accuracy), disparity \(train.disparity), violation \(trainViolation); "
          + "test accuracy \(test.accuracy), disparity \(test.disparity); \(fitted.mixture.hypotheses.count) hypotheses, "
          + "\(fitted.models.count) trainings, \(Int(seconds)) s. fairlearn: train \(fairlearn.accuracy), \(fairlearn.disparity), "
          + "\(fairlearn.violation); test \(reference.mixtureExpected.accuracy), \(reference.mixtureExpected.disparity)")
    #expect(trainRows.rowCount == reference.train.rows)
    #expect(trainViolation <= fairlearn.violation + 1e-9)
    #expect(abs(test.accuracy - reference.mixtureExpected.accuracy) <= 0.005)
    // The test split measures how the mixture generalises, which differs between any two learners
    // (learners that reach the same train optimum gave 0.017–0.023 against fairlearn's 0.0166; the
    // figures are in BENCHMARKS.md): it must stay far below the unmitigated model's.
    #expect(test.disparity < reference.unmitigated.disparity / 2)
  }

  /// The learner converges as scikit-learn's does: with equal weights its train log-loss is that
  /// of scikit-learn's fitted `LogisticRegression` (the same penalised objective) within 1e-4 nats.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["KILN_ADULT_REDUCTIONS"] == "1"))
  func theLearnerReachesScikitLearnsOptimum() throws {
    let reference = try Self.reference()
    let configuration = try Self.configuration(reference: reference)
    let dataset = try KilnDataset.open(Trainer.datasetURL(configuration, layout: ProjectLayout(root: Self.root)))
    var learner = try ReductionLearner(configuration: configuration, dataset: dataset, head: .binary)
    let labels = learner.rows.labels.map(Double.init)
    _ = try learner.fit(labels: labels, weights: labels.map { _ in 1 })
    let model = try #require(learner.models.last)
    let rows = learner.rows
    let logits = model(Tensor(shape: [rows.rowCount, rows.featureCount], scalars: rows.features)).scalars
    // Mean of log(1 + e^(−z)) for label 1 and log(1 + e^z) for label 0, stable for any z.
    let loss = zip(logits, labels).reduce(0.0) { total, pair in
      let signed = Double(pair.1 == 1 ? -pair.0 : pair.0)
      return total + max(signed, 0) + log1p(exp(-abs(signed)))
    } / Double(rows.rowCount)
    print("kiln learner on adult train, equal weights: log-loss \(loss); scikit-learn \(reference.train.unmitigatedLogLoss)")
    #expect(abs(loss - reference.train.unmitigatedLogLoss) <= 1e-4)
  }
}
