import KilnAutograd
import KilnTensor
import KilnRandom
import Foundation
import KilnData
import KilnNN
import KilnOptim
import KilnRobustness
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

/// A small generated project: a Kiln dataset with a stored encoding (numerics `x1`, `x2`, a
/// categorical `color`, the sensitive `sex` as an input) and train/validation/test splits, and
/// an MLP trained on its train split with Adam.
struct EvaluationFixture {
  static let encoding = DatasetEncoding(
    rawColumns: ["x1", "x2", "color", "sex", "y"], missingTokens: ["?"], missingPolicy: .impute,
    blocks: [
      FeatureBlock(kind: .numeric, column: "x1", name: "x1", mean: 0, scale: 1, fill: "0"),
      FeatureBlock(kind: .numeric, column: "x2", name: "x2", mean: 0, scale: 1, fill: "0"),
      FeatureBlock(kind: .categorical, column: "color", name: "color", fill: "red", categories: ["blue", "green", "red"]),
      FeatureBlock(kind: .categorical, column: "sex", name: "sex", fill: "F", categories: ["F", "M"]),
    ],
    sensitive: [SensitiveEncoding(name: "sex", column: "sex", derivation: SensitiveDerivation(), categories: ["F", "M"], isModelInput: true)])

  let root: URL
  let datasetURL: URL
  let fingerprint: String
  let model: MLP

  init(rowCount: Int = 600) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-evaluation-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    datasetURL = root.appendingPathComponent("datasets/toy.h5")
    var generator = SeededGenerator(seed: 21)
    var raw: [[String]] = []
    var labels: [Int32] = []
    for _ in 0..<rowCount {
      let x1 = generator.nextNormal(), x2 = generator.nextNormal()
      let color = ["blue", "green", "red"][generator.uniformIndex(below: 3)]
      let sex = generator.nextDouble() < 0.35 ? "F" : "M"
      let noise = generator.nextNormal() * 0.3
      labels.append(x1 + 0.7 * x2 + (color == "blue" ? 0.8 : 0) + (sex == "M" ? 0.3 : 0) + noise > 0.4 ? 1 : 0)
      raw.append([String(x1), String(x2), color, sex, ""])
    }
    let encoded = try Self.encoding.encode(rawRows: raw)
    let writer = try KilnDatasetWriter(url: datasetURL, header: DatasetHeader(name: "toy", version: "1", source: "tests", license: "none"),
                                       rowCount: rowCount, featureNames: Self.encoding.featureNames)
    try encoded.features.withUnsafeBufferPointer { try writer.appendFeatures($0) }
    let third = UInt32(rowCount / 3)
    fingerprint = try writer.finish(
      label: LabelColumn(name: "y", classes: ["no", "yes"], codes: labels),
      sensitive: [SensitiveColumn(name: "sex", categories: ["F", "M"], codes: encoded.sensitive["sex"]!, isModelInput: true, column: "sex")],
      splits: ["train": Array(0..<third), "validation": Array(third..<(2 * third)), "test": Array((2 * third)..<UInt32(rowCount))],
      encoding: Self.encoding)
    model = try Self.train(features: Array(encoded.features[0..<(Int(third) * encoded.featureCount)]),
                           labels: Array(labels[0..<Int(third)]), width: encoded.featureCount)
  }

  static func train(features: [Float], labels: [Int32], width: Int) throws -> MLP {
    var generator = SeededGenerator(seed: 5)
    var model = MLP(inputSize: width, hiddenSizes: [8], outputSize: 1, generator: &generator)
    var optimizer = try Adam(learningRate: 0.05)
    let input = Tensor(shape: [labels.count, width], scalars: features)
    let targets = Tensor(shape: [labels.count, 1], scalars: labels.map(Float.init))
    for _ in 0..<120 {
      let (_, gradients) = valueWithGradient(at: model) { model in binaryCrossEntropy(logits: model(Variable(input)), labels: targets) }
      optimizer.update(&model, along: gradients)
    }
    return model
  }

  func configuration(evaluation: EvaluationConfiguration?) -> ExperimentConfiguration {
    ExperimentConfiguration(name: "toy", dataset: "datasets/toy.h5", model: ModelConfiguration(kind: .mlp, hidden: [8]),
                            training: TrainingConfiguration(epochs: 1, batchSize: 64, seed: 7, optimizer: OptimizerConfiguration(kind: .adam, lr: 0.05)),
                            evaluation: evaluation)
  }

  static let fullEvaluation = EvaluationConfiguration(
    sensitive: ["sex"], minGroupSize: 5, bootstrap: .init(resamples: 200),
    robustness: RobustnessConfiguration(gaussianNoise: [0.1], missingFeatures: [0.2], categoryCorruption: [0.2], subgroupShift: [0.5],
                                        fgsm: [0.05], pgd: PGDConfiguration(epsilons: [0.05], steps: 3)))

  func remove() { try? FileManager.default.removeItem(at: root) }
}

/// An MLP with one logit evaluated on its own is a binary classifier.
extension MLP: EvaluatedModel {
  public var head: ModelHead { .binary }

  public func classProbabilities(features: [Float], rowCount: Int) -> [[Double]] {
    positiveProbabilities(features: features, rowCount: rowCount).map { [1 - $0, $0] }
  }

  public func regressionPredictions(features: [Float], rowCount: Int) -> [Double] {
    preconditionFailure("regressionPredictions: an MLP evaluated on its own is a binary classifier")
  }
}
