import Foundation
import KilnSweep
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

private let experiment = """
name: toy
dataset: datasets/toy/toy.h5
model: {kind: mlp, hidden: [8], activation: relu, dropout: 0.1}
training:
  epochs: 2
  batch_size: 32
  seed: 3
  optimizer: {kind: adam, lr: 1.0e-3}
sweep:
  objective: {metric: validation.loss, direction: minimize}
  sampler: grid
  trials: 10
  pruner: {kind: median, startup_trials: 2}
  space:
    training.batch_size: {choice: ["16", "64"]}
    training.epochs: {int: [1, 3]}
"""

@Suite struct SweepSpaceTests {
  @Test func floatsBecomeYAMLFloatsThatReadBackExactly() throws {
    for value in [1e-05, 0.001, 3.0, 2.5e20, 0.1] {
      let text = SweepSpace.yamlText(.float(value))
      #expect(text.contains("."))
      let configuration = try ExperimentConfiguration.parse(experiment, file: "toy.yaml",
                                                            overrides: ["training.optimizer.lr=\(text)"])
      #expect(configuration.training.optimizer.lr == value)
    }
  }

  @Test func theSweepBlockBecomesAPlanWithAGridOfItsValues() throws {
    let configuration = try ExperimentConfiguration.parse(experiment, file: "toy.yaml")
    let plan = try SweepPlan(configuration: configuration, experimentFile: URL(fileURLWithPath: "/p/toy.yaml"), overrides: [])
    #expect(plan.direction == .minimize && plan.seed == 3 && plan.trials == 10)
    let space = try plan.searchSpace()
    #expect(space.dimensions.map(\.key) == ["training.batch_size", "training.epochs"])
    #expect(try space.gridValues()["training.epochs"] == [.integer(1), .integer(2), .integer(3)])
    // A 2 × 3 grid caps the ten planned trials at six.
    #expect(try plan.trialTarget() == 6)
    #expect(plan.makePruner() is MedianPruner)
  }

  @Test func aGridOverAContinuousRangeIsRefusedNamingTheKey() throws {
    let text = experiment.replacingOccurrences(of: "training.epochs: {int: [1, 3]}", with: "model.dropout: {uniform: [0, 0.5]}")
    let configuration = try ExperimentConfiguration.parse(text, file: "toy.yaml")
    let plan = try SweepPlan(configuration: configuration, experimentFile: URL(fileURLWithPath: "/p/toy.yaml"), overrides: [])
    #expect(throws: SweepError.self) { try plan.makeSampler() }
    do {
      _ = try plan.makeSampler()
    } catch let error as SweepError {
      #expect(error.message.contains("model.dropout"))
    }
  }

  @Test func aSpaceKeyThatIsNoConfigurationKeyFailsBeforeAnyTrial() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-space-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("toy.yaml")
    try experiment.replacingOccurrences(of: "training.epochs:", with: "training.epoch:")
      .write(to: file, atomically: true, encoding: .utf8)
    #expect(throws: SweepError.self) {
      _ = try SweepWorkflow.start(experimentFile: file, overrides: [], trials: nil, batchSize: 4,
                                  layout: ProjectLayout(root: directory), commandLine: [])
    }
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".kiln/kiln.sqlite").path))
  }
}
