import KilnAutograd
import KilnTensor
import KilnRandom
import Foundation
import KilnData
import KilnNN
import KilnOptim
@testable import KilnRobustness

/// A small generated dataset with a stored encoding, and an MLP trained on it.
///
/// Raw columns: `x1`, `x2` (numerics), `color` (categorical with an unknown bucket and a missing
/// indicator) and `sex` (sensitive, a model input). The label is 1 when x1 + 0.5·x2 + [blue] > 0.3.
struct RobustnessFixture {
  static let encoding = DatasetEncoding(
    rawColumns: ["x1", "x2", "color", "sex"], missingTokens: ["?"], missingPolicy: .impute,
    blocks: [
      FeatureBlock(kind: .numeric, column: "x1", name: "x1", mean: 0.1, scale: 2, fill: "0.5", indicator: true),
      FeatureBlock(kind: .numeric, column: "x2", name: "x2", mean: -0.2, scale: 0.5, fill: "-0.3"),
      FeatureBlock(kind: .categorical, column: "color", name: "color", fill: "green", categories: ["blue", "green", "red"], indicator: true),
      FeatureBlock(kind: .categorical, column: "sex", name: "sex", fill: "F", categories: ["F", "M"]),
    ],
    sensitive: [SensitiveEncoding(name: "sex", column: "sex", derivation: SensitiveDerivation(), categories: ["F", "M"], isModelInput: true)])

  let rows: [[String]]
  let encoded: EncodedRows
  let labels: [Int32]
  let sexCodes: [Int32]

  init(rowCount: Int = 400, seed: UInt64 = 11) throws {
    var generator = SeededGenerator(seed: seed)
    var rows: [[String]] = []
    var labels: [Int32] = []
    for _ in 0..<rowCount {
      let x1 = generator.nextNormal() * 2 + 0.1
      let x2 = generator.nextNormal() * 0.5 - 0.2
      let color = ["blue", "green", "red"][generator.uniformIndex(below: 3)]
      let sex = generator.nextDouble() < 0.3 ? "F" : "M"
      rows.append([String(x1), String(x2), color, sex])
      labels.append(x1 + 0.5 * x2 + (color == "blue" ? 1 : 0) > 0.3 ? 1 : 0)
    }
    self.rows = rows
    self.labels = labels
    encoded = try Self.encoding.encode(rawRows: rows)
    sexCodes = encoded.sensitive["sex"]!
  }

  var layout: FeatureLayout { try! FeatureLayout(encoding: Self.encoding) }

  var groups: [GroupAssignment] { [GroupAssignment(name: "sex", categories: ["F", "M"], codes: sexCodes)] }

  /// An MLP trained full-batch with Adam for a few hundred steps (well above chance).
  func trainedModel(hidden: [Int] = [8], steps: Int = 150) throws -> MLP {
    var generator = SeededGenerator(seed: 3)
    var model = MLP(inputSize: encoded.featureCount, hiddenSizes: hidden, outputSize: 1, generator: &generator)
    var optimizer = try Adam(learningRate: 0.05)
    let input = Tensor(shape: [encoded.rowCount, encoded.featureCount], scalars: encoded.features)
    let targets = Tensor(shape: [encoded.rowCount, 1], scalars: labels.map(Float.init))
    for _ in 0..<steps {
      let (_, gradients) = valueWithGradient(at: model) { model in binaryCrossEntropy(logits: model(Variable(input)), labels: targets) }
      optimizer.update(&model, along: gradients)
    }
    return model
  }
}

/// The accuracy of `model` on `features` at threshold 0.5.
func accuracy(_ model: some RobustnessModel, features: [Float], rowCount: Int, labels: [Int32]) -> Double {
  let probabilities = model.positiveProbabilities(features: features, rowCount: rowCount)
  let hits = zip(probabilities, labels).filter { ($0 >= 0.5 ? 1 : 0) == $1 }.count
  return Double(hits) / Double(rowCount)
}
