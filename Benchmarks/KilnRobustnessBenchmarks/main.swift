// Robustness benchmarks: FGSM and PGD-10 (L∞, ε = 0.05, encoding-constrained) over Adult's test
// split with an MLP [64, 64] trained for two epochs. Prints one JSON object per line:
//   {"name", "kiln", "reference", "ratio", "units", ...}
// with times in seconds per 10,000 rows (best of three). The PyTorch figure for the same attack
// comes from benchmarks/reference/robustness_torch.py and is paired by compare.py.
// Needs datasets/adult/adult.h5 (`kiln dataset import datasets/adult/dataset.yaml`).
import KilnAutograd
import KilnTensor
import KilnRandom
import KilnNN
import Foundation
import KilnData
import KilnOptim
import KilnRobustness

func seconds(_ body: () -> Void) -> Double {
  var best = Double.infinity
  for _ in 0..<3 {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  return best
}

func emit(_ name: String, kiln: Double, units: String, extra: [String: Any]) {
  var object: [String: Any] = ["name": name, "kiln": kiln, "units": units, "reference": NSNull(), "ratio": NSNull()]
  object.merge(extra) { first, _ in first }
  let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}

/// An MLP [64, 64] trained for two epochs with Adam on the train split.
func trainedModel(_ train: Batch) throws -> MLP {
  var generator = SeededGenerator(seed: 7)
  var model = MLP(inputSize: train.featureCount, hiddenSizes: [64, 64], outputSize: 1, generator: &generator)
  var optimizer = try Adam(learningRate: 1e-3)
  var order = Array(0..<train.rowCount)
  for _ in 0..<2 {
    generator.shuffle(&order)
    for start in stride(from: 0, to: order.count, by: 256) {
      let rows = order[start..<min(start + 256, order.count)]
      let features = rows.flatMap { train.features(ofRow: $0) }
      let input = Tensor(shape: [rows.count, train.featureCount], scalars: features)
      let labels = Tensor(shape: [rows.count, 1], scalars: rows.map { Float(train.labels[$0]) })
      let (_, gradients) = valueWithGradient(at: model) { model in binaryCrossEntropy(logits: model(Variable(input)), labels: labels) }
      optimizer.update(&model, along: gradients)
    }
  }
  return model
}

let datasetURL = URL(fileURLWithPath: "datasets/adult/adult.h5")
guard FileManager.default.fileExists(atPath: datasetURL.path) else {
  FileHandle.standardError.write(Data("# KilnRobustnessBenchmarks: \(datasetURL.path) is missing; import Adult first\n".utf8))
  exit(0)
}
let dataset = try KilnDataset.open(datasetURL)
let test = try dataset.rows(split: "test")
let model = try trainedModel(try dataset.rows(split: "train"))
let layout = try dataset.metadata.encoding.map { try FeatureLayout(encoding: $0) }
  ?? FeatureLayout(numericFeatureCount: test.featureCount)
let perTenThousand = 10_000 / Double(test.rowCount)
let cleanAccuracy = accuracy(test.features)

func accuracy(_ features: [Float]) -> Double {
  let probabilities = model.positiveProbabilities(features: features, rowCount: test.rowCount)
  return Double(zip(probabilities, test.labels).filter { ($0 >= 0.5 ? 1 : 0) == $1 }.count) / Double(test.rowCount)
}

for (name, method) in [("fgsm_adult_test_per_10k_rows", GradientAttack.Method.fgsm),
                       ("pgd10_adult_test_per_10k_rows", .pgd(steps: 10, stepSize: nil, randomStart: true))] {
  let attack = GradientAttack(method: method, epsilon: 0.05)
  var adversarial: [Float] = []
  let time = seconds {
    var generator = SeededGenerator(seed: 1)
    adversarial = attack.adversarialExamples(features: test.features, labels: test.labels, rowCount: test.rowCount,
                                             layout: layout, model: model, using: &generator)
  }
  emit(name, kiln: time * perTenThousand, units: "s", extra: [
    "rows": test.rowCount, "features": test.featureCount, "epsilon": 0.05,
    "clean_accuracy": cleanAccuracy, "adversarial_accuracy": accuracy(adversarial),
  ])
}

// One forward and input-gradient pass alone, to separate the numeric core's share from the attacks'.
let gradientTime = seconds {
  for start in stride(from: 0, to: test.rowCount, by: 2048) {
    let rows = min(2048, test.rowCount - start)
    let input = Tensor(shape: [rows, test.featureCount],
                       scalars: Array(test.features[(start * test.featureCount)..<((start + rows) * test.featureCount)]))
    let labels = Tensor(shape: [rows, 1], scalars: test.labels[start..<(start + rows)].map(Float.init))
    _ = gradient(at: input) { binaryCrossEntropyWithLogits(logits: model($0), labels: labels, reduction: .sum) }
  }
}
emit("input_gradient_adult_test_per_10k_rows", kiln: gradientTime * perTenThousand, units: "s",
     extra: ["rows": test.rowCount, "features": test.featureCount])
