import Foundation
import Testing
import KilnReport
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

private let adult = """
name: adult-income
dataset: datasets/adult/adult.h5
model: {kind: mlp, hidden: [64, 64], activation: relu, dropout: 0.1}
training:
  epochs: 10
  batch_size: 256
  seed: 7
  optimizer: {kind: adam, lr: 1.0e-3}
evaluation:
  sensitive: [sex, race]
  intersections: [[sex, race]]
  robustness: {gaussian_noise: [0.05, 0.1], fgsm: [0.01, 0.05]}
gates:
  - {metric: test.accuracy, min: 0.84}
  - {metric: fairness.sex.demographic_parity_difference, max: 0.10, use: ci_upper}
  - {metric: test.roc_auc, vs: champion, min_delta: -0.005}
sweep:
  objective: {metric: validation.roc_auc, direction: maximize}
  sampler: tpe
  trials: 40
  space: {training.optimizer.lr: {loguniform: [1.0e-4, 1.0e-1]}, model.dropout: {uniform: [0, 0.5]}}
"""

private func problems(_ text: String, overrides: [String] = []) -> [ConfigurationError.Problem] {
  configurationProblems(text, overrides: overrides)
}

@Suite struct ExperimentConfigurationTests {
  @Test func theDesignExampleDecodesWithEveryField() throws {
    let configuration = try ExperimentConfiguration.parse(adult, file: "adult.yaml")
    #expect(configuration.model.hidden == [64, 64])
    #expect(configuration.model.activation == .relu)
    #expect(configuration.training.batchSize == 256)
    #expect(configuration.training.optimizer.kind == .adam)
    #expect(configuration.training.optimizer.lr == 1e-3)
    #expect(configuration.evaluation?.intersections == [["sex", "race"]])
    #expect(configuration.gates?.count == 3)
    #expect(configuration.gates?[1].bound == .ciUpper)
    #expect(configuration.gates?[2].threshold == .versusChampion(minDelta: -0.005))
    #expect(configuration.sweep?.space["training.optimizer.lr"]?.loguniform == [1e-4, 1e-1])
  }

  @Test func anUnknownKeyNamesFileLineAndTheNearestValidKey() {
    let text = adult.replacingOccurrences(of: "  optimizer: {kind: adam, lr: 1.0e-3}",
                                          with: "  optimizer: {kind: adam, lr: 1.0e-3}\n  learning_rat: 0.1")
    let found = problems(text)
    #expect(found.count == 1)
    #expect(found.first?.code == .unknownKey)
    #expect(found.first?.keyPath == "training.learning_rat")
    #expect(found.first?.place == "experiments/x.yaml:9:3")
    let text2 = adult.replacingOccurrences(of: "lr: 1.0e-3", with: "lr: 1.0e-3, weight_decy: 0.1")
    #expect(problems(text2).first?.hint == "did you mean `weight_decay`?")
  }

  @Test func everyUnknownKeyIsReportedAtOnce() {
    let text = adult.replacingOccurrences(of: "name: adult-income", with: "name: adult-income\nnmae: x\nepochs: 3")
    #expect(problems(text).map(\.keyPath) == ["nmae", "epochs"])
  }

  @Test func wrongTypesAndUnknownNamesAreErrorsAtTheirLine() {
    let wrongType = problems(adult.replacingOccurrences(of: "batch_size: 256", with: "batch_size: large"))
    #expect(wrongType.first?.code == .wrongType)
    #expect(wrongType.first?.keyPath == "training.batch_size")
    #expect(wrongType.first?.place == "experiments/x.yaml:6:15")

    let unknownOptimizer = problems(adult.replacingOccurrences(of: "kind: adam", with: "kind: adamm"))
    #expect(unknownOptimizer.first?.keyPath == "training.optimizer.kind")
    #expect(unknownOptimizer.first?.hint == "did you mean `adam`?")
  }

  @Test func outOfRangeValuesAreErrorsWithTheirLocation() {
    let found = problems(adult.replacingOccurrences(of: "batch_size: 256", with: "batch_size: 0")
      .replacingOccurrences(of: "lr: 1.0e-3", with: "lr: -0.1")
      .replacingOccurrences(of: "dropout: 0.1", with: "dropout: 1.0"))
    #expect(Set(found.map(\.keyPath)) == ["training.batch_size", "training.optimizer.lr", "model.dropout"])
    #expect(found.allSatisfy { $0.code == .outOfRange })
    #expect(found.first { $0.keyPath == "training.batch_size" }?.place == "experiments/x.yaml:6:15")
  }

  @Test func overridesApplyWithTheSameChecks() throws {
    let configuration = try ExperimentConfiguration.parse(adult, file: "adult.yaml",
                                                          overrides: ["training.optimizer.lr=3e-4", "model.hidden=[32]"])
    #expect(configuration.training.optimizer.lr == 3e-4)
    #expect(configuration.model.hidden == [32])

    let typo = problems(adult, overrides: ["training.optimizer.learning_rate=0.1"])
    #expect(typo.first?.code == .unknownKey)
    #expect(typo.first?.place == "--set training.optimizer.learning_rate=0.1")
    #expect(problems(adult, overrides: ["training.batch_size=0"]).first?.place == "--set training.batch_size=0")
    #expect(problems(adult, overrides: ["training.epochs"]).first?.code == .invalidOverride)
  }

  @Test func aMissingRequiredKeyIsNamed() {
    let found = problems(adult.replacingOccurrences(of: "  epochs: 10\n", with: ""))
    #expect(found.first?.code == .missingKey)
    #expect(found.first?.keyPath == "training.epochs")
  }

  @Test func theHashFollowsTheResolvedConfiguration() throws {
    let a = try ExperimentConfiguration.parse(adult, file: "a.yaml")
    let b = try ExperimentConfiguration.parse(adult, file: "b.yaml", overrides: ["training.optimizer.lr=0.001"])
    let c = try ExperimentConfiguration.parse(adult, file: "c.yaml", overrides: ["training.optimizer.lr=0.002"])
    #expect(a.configurationHash() == b.configurationHash())
    #expect(a.configurationHash() != c.configurationHash())
    let parameters = a.flattenedParameters()
    #expect(parameters["training.optimizer.lr"] == "0.001")
    #expect(parameters["model.hidden"] == "[64, 64]")
    #expect(parameters["training.batch_size"] == "256")
  }

  @Test func nearestKeySuggestsOnlyLikelyTypos() {
    #expect(nearestKey(to: "learning_rat", among: ["learning_rate", "epochs"]) == "learning_rate")
    #expect(nearestKey(to: "zzzzzzzz", among: ["lr", "epochs"]) == nil)
    #expect(editDistance("kitten", "sitting") == 3)
  }
}

@Suite struct GateConfigurationTests {
  @Test func gateFormsMapToThresholds() throws {
    let configuration = try ExperimentConfiguration.parse(adult, file: "adult.yaml")
    let gates = try #require(configuration.gates)
    #expect(gates[0].threshold == .atLeast(0.84))
    #expect(gates[1].threshold == .atMost(0.10))
    #expect(gates[1].bound == .ciUpper)
    #expect(gates[2].threshold == .versusChampion(minDelta: -0.005))
  }

  @Test func aGateWithBothFormsOrNeitherIsRejected() {
    let both = adult.replacingOccurrences(of: "{metric: test.accuracy, min: 0.84}", with: "{metric: test.accuracy, min: 0.84, vs: champion, min_delta: 0}")
    #expect(problems(both).first?.keyPath == "gates[0].metric")
    let neither = adult.replacingOccurrences(of: "{metric: test.accuracy, min: 0.84}", with: "{metric: test.accuracy}")
    #expect(problems(neither).first?.code == .outOfRange)
    // One problem per mistake: the rest of the file is still read, and no key after it is called unknown.
    let twoMistakes = adult.replacingOccurrences(of: "{metric: test.accuracy, min: 0.84}", with: "{metric: test.accuracy, min_delta: 0.1, min: 0.8}")
      .replacingOccurrences(of: "vs: champion, min_delta: -0.005}", with: "vs: champion}")
    #expect(problems(twoMistakes).map(\.keyPath) == ["gates[0].min_delta", "gates[2].vs"])
    #expect(problems(twoMistakes).first?.place.hasPrefix("experiments/x.yaml:") == true)
  }

  @Test func aChampionGateOnAMetricWithoutAKnownDirectionMustStateIt() throws {
    let unknown = adult.replacingOccurrences(of: "{metric: test.roc_auc, vs: champion, min_delta: -0.005}",
                                             with: "{metric: test.threshold, vs: champion, min_delta: 0}")
    let problem = try #require(problems(unknown).first)
    #expect(problem.keyPath == "gates[2].metric" && problem.message.contains("direction: minimize"), "\(problem)")
    let stated = unknown.replacingOccurrences(of: "min_delta: 0}", with: "min_delta: 0, direction: minimize}")
    let gates = try #require(try ExperimentConfiguration.parse(stated, file: "x.yaml").gates)
    #expect(gates[2].direction == .minimize)
    #expect(problems(stated.replacingOccurrences(of: "direction: minimize", with: "direction: minimise")).first?.message
      .contains("not one of maximize, minimize") == true)
  }

  @Test func theStoredFormIsTheWrittenGrammar() throws {
    let gates = try #require(try ExperimentConfiguration.parse(adult, file: "adult.yaml").gates)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = String(decoding: try encoder.encode(gates), as: UTF8.self)
    #expect(json == #"[{"metric":"test.accuracy","min":0.84},{"max":0.1,"metric":"fairness.sex.demographic_parity_difference","use":"ci_upper"},"#
      + #"{"metric":"test.roc_auc","min_delta":-0.005,"vs":"champion"}]"#)
    // The configuration a run stores is read back by the same type into the same gates.
    let stored = try ExperimentConfiguration.parse(adult, file: "adult.yaml")
    let reread = try ExperimentConfiguration.parse(String(decoding: try encoder.encode(stored), as: UTF8.self), file: "stored")
    #expect(reread.gates == gates)
    #expect(try JSONDecoder().decode([Gate].self, from: Data(json.utf8)) == gates)
  }
}

@Suite struct MultiObjectiveSweepConfigurationTests {
  static let objectives = "  objectives: [{metric: validation.roc_auc, direction: maximize}, {metric: validation.loss, direction: minimize}]"

  static func sweep(_ replacement: String, sampler: String = "nsga2") -> String {
    adult.replacingOccurrences(of: "  objective: {metric: validation.roc_auc, direction: maximize}", with: replacement)
      .replacingOccurrences(of: "  sampler: tpe", with: "  sampler: \(sampler)")
  }

  @Test func twoObjectivesWithNSGAIIDecodeInOrder() throws {
    let configuration = try ExperimentConfiguration.parse(
      Self.sweep(Self.objectives + "\n  population_size: 8\n  pruner: {kind: asha, reduction_factor: 2}"), file: "adult.yaml")
    #expect(configuration.sweep?.allObjectives.map(\.metric) == ["validation.roc_auc", "validation.loss"])
    #expect(configuration.sweep?.populationSize == 8)
  }

  @Test func badMultiObjectiveBlocksAreRefusedAtTheirKeys() {
    let cases: [(text: String, key: String, words: String)] = [
      (Self.sweep(Self.objectives, sampler: "tpe"), "sweep.sampler", "optimises one objective"),
      (Self.sweep("  objectives: [{metric: validation.roc_auc, direction: maximize}]"), "sweep.objectives", "two or more"),
      (Self.sweep("  objectives: [{metric: validation.loss, direction: minimize}, {metric: validation.loss, direction: minimize}]"),
       "sweep.objectives", "listed twice"),
      (Self.sweep("  objectives: [{metric: validation.roc_auc, direction: minimize}, {metric: validation.loss, direction: minimize}]"),
       "sweep.objectives[0].direction", "higher-is-better"),
      (Self.sweep(Self.objectives + "\n  objective: {metric: validation.roc_auc, direction: maximize}"), "sweep", "exactly one of"),
      (Self.sweep("  population_size: 8\n  objective: {metric: validation.roc_auc, direction: maximize}", sampler: "tpe"),
       "sweep.population_size", "only the nsga2 sampler"),
      (Self.sweep(Self.objectives + "\n  population_size: 1"), "sweep.population_size", "at least 2"),
      (Self.sweep(Self.objectives + "\n  pruner: {kind: median}"), "sweep.pruner", "compares one objective"),
    ]
    for entry in cases {
      let found = problems(entry.text)
      #expect(found.contains { $0.keyPath == entry.key && $0.message.contains(entry.words) }, "\(entry.key): \(found)")
    }
  }
}
