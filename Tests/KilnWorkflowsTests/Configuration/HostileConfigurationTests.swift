import Foundation
import KilnOptim
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

private let base = """
name: hostile
dataset: datasets/toy/toy.h5
model: {kind: mlp, hidden: [8]}
training:
  epochs: 3
  batch_size: 32
  seed: 5
  optimizer: {kind: adam, lr: 0.01}
gates:
  - {metric: test.accuracy, min: 0.6}
"""

/// The problems of hostile text, which must have some.
private func problems(_ text: String, overrides: [String] = []) -> [ConfigurationError.Problem] {
  let found = configurationProblems(text, overrides: overrides)
  if found.isEmpty { Issue.record("expected a ConfigurationError") }
  return found
}

/// Experiment files written to break Kiln: each is an error with its place, never a crash,
/// a hang or a path out of the project.
@Suite struct HostileConfigurationTests {
  @Test(arguments: ["../../../elsewhere", "..", ".", "a/b", ".hidden", "-dash", "name with spaces", ""])
  func anExperimentNameOutsideTheRuleIsAnErrorWithTheRule(name: String) {
    let found = problems(base.replacingOccurrences(of: "name: hostile", with: "name: \"\(name)\""))
    #expect(found.count == 1, "\(found)")
    #expect(found.first?.keyPath == "name")
    #expect(found.first?.place == "experiments/x.yaml:1:7")
    #expect(found.first?.message.contains("`\(name)` is not a valid experiment name") == true)
    #expect(found.first?.hint?.contains("letters, digits") == true)
  }

  @Test func billionLaughsFailsWithTheFileAndLine() {
    var text = "lol0: &lol0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
    for level in 1...9 {
      let aliases = Array(repeating: "*lol\(level - 1)", count: 10).joined(separator: ", ")
      text += "lol\(level): &lol\(level) [\(aliases)]\n"
    }
    let found = problems(base + "\n" + text)
    #expect(found.count == 1)
    #expect(found.first?.code == .tooLarge)
    #expect(found.first?.message.contains("more than 100000 values") == true)
    #expect(found.first?.place.hasPrefix("experiments/x.yaml:") == true)
    #expect(found.first?.place != "experiments/x.yaml")
  }

  @Test func deepNestingAndHugeDocumentsAreErrors() {
    let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    let nested = problems(base + "\ndescription: " + deep + "\n")
    #expect(nested.first?.code == .tooLarge)
    #expect(nested.first?.message.contains("64 levels") == true)

    let huge = base + "\ndescription: \"" + String(repeating: "x", count: 1_100_000) + "\"\n"
    let large = problems(huge)
    #expect(large.first?.code == .tooLarge)
    #expect(large.first?.place == "experiments/x.yaml")
  }

  @Test func nonFiniteNumbersAreRejectedWithTheirLocation() {
    let text = base
      .replacingOccurrences(of: "lr: 0.01}", with: "lr: 0.01, weight_decay: .nan}")
      .replacingOccurrences(of: "  seed: 5", with: "  seed: 5\n  gradient_clip_norm: .inf\n  early_stopping: {metric: validation.loss, direction: minimize, patience: 2, min_delta: .NaN}")
      .replacingOccurrences(of: "min: 0.6", with: "min: -.inf")
    let found = problems(text)
    #expect(Set(found.map(\.keyPath)) == ["training.optimizer.weight_decay", "training.gradient_clip_norm",
                                          "training.early_stopping.min_delta", "gates[0].min"], "\(found)")
    #expect(found.allSatisfy { $0.code == .nonFinite })
    #expect(found.first { $0.keyPath == "training.gradient_clip_norm" }?.place == "experiments/x.yaml:8:23")
    #expect(problems(base, overrides: ["training.optimizer.lr=.inf"]).first?.code == .nonFinite)
    #expect(problems(base, overrides: ["training.optimizer.lr=nan"]).first?.code == .nonFinite)
  }

  @Test func aMisspeltKeyIsNamedBesideTheRequiredKeyItMissed() {
    let found = problems(base.replacingOccurrences(of: "  epochs: 3", with: "  epochz: 3")
      .replacingOccurrences(of: "kind: adam", with: "kind: adamm"))
    let unknown = found.first { $0.code == .unknownKey }
    #expect(unknown?.keyPath == "training.epochz")
    #expect(unknown?.hint == "did you mean `epochs`?")
    #expect(unknown?.place == "experiments/x.yaml:5:3")
    #expect(found.contains { $0.code == .missingKey && $0.keyPath == "training.epochs" })
    #expect(found.contains { $0.keyPath == "training.optimizer.kind" && $0.hint == "did you mean `adam`?" })
    #expect(found.count == 3, "\(found)")
  }

  @Test func problemsInLaterSectionsAreFoundAfterAnEarlierOne() {
    let found = problems(base.replacingOccurrences(of: "batch_size: 32", with: "batch_size: many")
      .replacingOccurrences(of: "model: {kind: mlp, hidden: [8]}", with: "model: {kind: mlp, hidden: [8], dropuot: 0.1}")
      .replacingOccurrences(of: "min: 0.6", with: "min: 0.6, sevrity: warn"))
    #expect(found.map(\.keyPath) == ["model.dropuot", "training.batch_size", "gates[0].sevrity"], "\(found)")
  }

  @Test func aScheduleThatCannotWorkIsAValidationErrorWithItsKeys() {
    let text = base.replacingOccurrences(of: "  epochs: 3", with: "  epochs: 1")
      .replacingOccurrences(of: "  seed: 5", with: "  seed: 5\n  schedule: {kind: cosine, warmup_epochs: 1}")
    let found = problems(text)
    #expect(found.count == 1, "\(found)")
    #expect(found.first?.keyPath == "training.schedule.warmup_epochs")
    #expect(found.first?.message.contains("training.epochs = 1") == true)
    #expect(found.first?.place == "experiments/x.yaml:8:43")
    let floor = problems(base.replacingOccurrences(of: "  seed: 5", with: "  seed: 5\n  schedule: {kind: cosine, min_lr: 0.5}"))
    #expect(floor.first?.keyPath == "training.schedule.min_lr")
  }

  /// The configuration checks schedules without building them (it knows no optimizer); every
  /// schedule it accepts must build, so no run fails on one after its processes start.
  @Test func everyScheduleThatValidatesBuilds() throws {
    var accepted = 0
    for kind in ["constant", "step", "exponential", "cosine", "reduce_on_plateau"] {
      for gamma in ["", ", gamma: 0.5", ", gamma: 1", ", gamma: 0", ", gamma: 1.5"] {
        for extra in ["", ", step_size: 0", ", step_size: 2", ", warmup_epochs: 2", ", warmup_epochs: 3", ", min_lr: 0.001",
                      ", min_lr: 0.5", ", patience: 0"] {
          let text = base.replacingOccurrences(of: "  seed: 5", with: "  seed: 5\n  schedule: {kind: \(kind)\(gamma)\(extra)}")
          guard let configuration = try? ExperimentConfiguration.parse(text, file: "x.yaml") else { continue }
          accepted += 1
          #expect(throws: Never.self, "\(kind)\(gamma)\(extra)") {
            _ = try TrainingSession.makeSchedule(configuration.training)
            if kind == "reduce_on_plateau" {
              _ = try ReduceLearningRateOnPlateau(learningRate: Float(configuration.training.optimizer.lr),
                                                  factor: Float(configuration.training.schedule?.gamma ?? 0.1),
                                                  patience: configuration.training.schedule?.patience ?? 2,
                                                  minimumLearningRate: Float(configuration.training.schedule?.minLr ?? 0))
            }
          }
        }
      }
    }
    #expect(accepted > 20, "the grid must exercise accepted schedules too")
  }

  @Test func everyConfigurationThatLoadsEncodesToCanonicalJSON() throws {
    let configuration = try ExperimentConfiguration.parse(base.replacingOccurrences(of: "lr: 0.01}", with: "lr: 0.01, weight_decay: 1e-300}"),
                                                          file: "x.yaml")
    #expect(configuration.canonicalJSON().contains("\"weight_decay\""))
  }
}
