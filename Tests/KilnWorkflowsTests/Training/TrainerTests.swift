import Foundation
import KilnOptim
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

/// A throwaway project with a synthetic dataset and an experiment on it.
struct TrainingProject {
  let layout: ProjectLayout

  init(rows: Int = 1_200) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    layout = ProjectLayout(root: root)
    try SyntheticTask.write(to: root.appendingPathComponent("datasets/moons.h5"), rows: rows)
  }

  func configuration(_ overrides: [String] = []) throws -> ExperimentConfiguration {
    try ExperimentConfiguration.parse("""
      name: moons
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [16, 16], activation: relu}
      training: {epochs: 20, batch_size: 32, seed: 3, optimizer: {kind: adam, lr: 1.0e-2}}
      """, file: "moons.yaml", overrides: overrides)
  }

  func remove() { try? FileManager.default.removeItem(at: layout.root) }
}

@Suite struct TrainerTests {
  @Test func anMLPLearnsTheSyntheticTaskAndTheRunIsTracked() throws {
    let project = try TrainingProject()
    defer { project.remove() }
    // 40 epochs at this rate end at ≥ 0.96 for each of seeds 1–8; 20 epochs end anywhere in 0.89–0.98.
    let result = try Trainer.train(try project.configuration(["training.epochs=40"]), layout: project.layout,
                                   options: TrainingOptions(progress: .quiet))
    #expect(result.outcome == .completed(epochs: 40))
    #expect(try #require(result.finalValidationMetrics["validation.accuracy"]) >= 0.96, "\(result.finalValidationMetrics)")
    #expect(try #require(result.finalValidationMetrics["validation.roc_auc"]) >= 0.99)
    #expect(FileManager.default.fileExists(atPath: result.checkpoint.path))

    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    let run = try tracker.run(id: result.runID)
    #expect(run.status == .finished)
    #expect(try tracker.metricHistory(runID: run.id, key: "validation.roc_auc").count == 40)
    #expect(try tracker.metricHistory(runID: run.id, key: "train.loss").count == 40 * 27)
    #expect(try tracker.store.datasetInputs(runID: run.id).map(\.split).sorted() == ["train", "validation"])
    #expect(try tracker.store.artifacts(runID: run.id).contains { $0.name == "model/checkpoint.h5" })
  }

  @Test func theSameSeedGivesBitIdenticalWeights() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let configuration = try project.configuration(["training.epochs=2", "model.dropout=0.2"])
    let first = try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    let second = try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    #expect(first.model.flattenedParameters().scalars == second.model.flattenedParameters().scalars)
    let other = try Trainer.train(try project.configuration(["training.epochs=2", "model.dropout=0.2", "training.seed=4"]),
                                  layout: project.layout, options: TrainingOptions(progress: .quiet))
    #expect(first.model.flattenedParameters().scalars != other.model.flattenedParameters().scalars)
  }

  @Test func aCheckpointRoundTripsWeightsOptimizerStateAndTheModel() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let result = try Trainer.train(try project.configuration(["training.epochs=1"]), layout: project.layout,
                                   options: TrainingOptions(progress: .quiet))
    let checkpoint = try Checkpoint.read(from: result.checkpoint)
    #expect(checkpoint.state.epoch == 1)
    #expect(checkpoint.state.globalStep == 9)
    #expect(checkpoint.optimizerKind == "adam")
    #expect(checkpoint.optimizerCounters["layers.0.weight/step"] == 9)
    #expect(Set(checkpoint.parameters.map(\.path)) == Set(result.model.parameterPaths))
    let loaded = try TrainedModel.load(checkpoint: result.checkpoint)
    #expect(loaded.model.flattenedParameters().scalars == result.model.flattenedParameters().scalars)
    #expect(loaded.classCount == 2)
    let probabilities = loaded.positiveProbabilities(features: [Float](repeating: 0.5, count: 16), rowCount: 2)
    #expect(probabilities.count == 2 && probabilities.allSatisfy { $0 > 0 && $0 < 1 })
  }

  @Test func divergenceStopsWithAClearErrorAndMarksTheRunFailed() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let configuration = try project.configuration(["training.optimizer={kind: sgd, lr: 1.0e+30}", "training.checkpoint_every_steps=1"])
    #expect {
      try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    } throws: { error in
      (error as? TrainingError)?.code == .diverged && "\(error)".contains("lower training.optimizer.lr")
    }
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    let run = try #require(try tracker.runs().first)
    #expect(run.status == .failed)
    let last = RunDirectory(layout: project.layout, runID: run.id).lastCheckpoint
    let checkpoint = try Checkpoint.read(from: last)
    #expect(checkpoint.parameters.allSatisfy { $0.value.scalars.allSatisfy(\.isFinite) })
  }

  @Test func aMissingDatasetNamesTheFileAndTheImportCommand() throws {
    let project = try TrainingProject(rows: 100)
    defer { project.remove() }
    let configuration = try project.configuration(["dataset=datasets/absent.h5"])
    #expect {
      try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    } throws: { error in
      "\(error)".contains("datasets/absent.h5") && "\(error)".contains("kiln dataset import")
    }
  }

  @Test func earlyStoppingEndsTrainingAndIsRecorded() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let configuration = try project.configuration([
      "training.epochs=30",
      "training.early_stopping={metric: validation.loss, direction: minimize, patience: 1, min_delta: 10}",
    ])
    let result = try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    // Nothing improves by 10, so training stops after the second epoch.
    guard case .stoppedEarly(let epoch, let reason) = result.outcome else {
      Issue.record("expected an early stop, got \(result.outcome)")
      return
    }
    #expect(epoch == 1)
    #expect(reason.contains("validation.loss did not improve"))
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    #expect(try tracker.store.tags(runID: result.runID)["stopped_early"] == reason)
  }
}

@Suite struct CheckpointFormatTests {
  @Test func restoreBestEndsWithTheBestEpochsWeightsAndMetrics() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let overrides = ["training.epochs=12", "training.optimizer.lr=0.1", "training.selection_metric=validation.loss"]
    let plain = try Trainer.train(try project.configuration(overrides), layout: project.layout, options: TrainingOptions(progress: .quiet))
    // The case worth testing: the best epoch is not the last one.
    try #require(plain.bestValidationMetrics != plain.finalValidationMetrics, "the best epoch is the last; pick a noisier setting")
    let restored = try Trainer.train(try project.configuration(overrides + ["training.restore_best=true"]),
                                     layout: project.layout, options: TrainingOptions(progress: .quiet))

    #expect(restored.finalValidationMetrics == plain.bestValidationMetrics)
    let bestWeights = try Checkpoint.read(from: plain.bestCheckpoint).parameters
    let finalWeights = try Checkpoint.read(from: restored.checkpoint).parameters
    #expect(finalWeights.map(\.path) == bestWeights.map(\.path))
    #expect(zip(finalWeights, bestWeights).allSatisfy { $0.value.scalars == $1.value.scalars })
    #expect(restored.model.flattenedParameters().scalars != plain.model.flattenedParameters().scalars)
    let tags = try Tracker(storeDirectory: project.layout.storeDirectory).store.tags(runID: restored.runID)
    #expect(tags["restored_best_epoch"] != nil)
  }

  @Test func checkpointsOpenInH5dumpWithParametersByDottedPath() throws {
    let project = try TrainingProject(rows: 200)
    defer { project.remove() }
    let result = try Trainer.train(try project.configuration(["training.epochs=1"]), layout: project.layout,
                                   options: TrainingOptions(progress: .quiet))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["h5dump", "-H", result.checkpoint.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(text.contains("DATASET \"layers.0.weight\""))
    #expect(text.contains("GROUP \"optimizer\""))
    #expect(text.contains("kiln.checkpoint/1") || text.contains("ATTRIBUTE \"format\""))
  }

  @Test func aFileThatIsNotACheckpointIsRejectedByName() throws {
    let project = try TrainingProject(rows: 100)
    defer { project.remove() }
    let dataset = project.layout.root.appendingPathComponent("datasets/moons.h5")
    #expect { try Checkpoint.read(from: dataset) } throws: { "\($0)".contains("not a Kiln checkpoint") }
  }
}
