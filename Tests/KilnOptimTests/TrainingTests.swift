import KilnAutograd
import KilnTensor
import KilnRandom
import KilnNN
import Foundation
import KilnOptim
import Testing

/// Two interleaving half circles with Gaussian noise (the "two moons" task), labels 0 and 1.
func twoMoons(count: Int, noise: Float, generator: inout SeededGenerator) -> (Tensor, Tensor) {
  var features: [Float] = [], labels: [Float] = []
  for index in 0..<count {
    let angle = Float.pi * generator.nextFloat()
    let upper = index % 2 == 0
    let x = upper ? cosf(angle) : 1 - cosf(angle)
    let y = upper ? sinf(angle) : 0.5 - sinf(angle)
    features += [x + noise * Float(generator.nextNormal()), y + noise * Float(generator.nextNormal())]
    labels.append(upper ? 0 : 1)
  }
  return (Tensor(shape: [count, 2], scalars: features), Tensor(shape: [count, 1], scalars: labels))
}

/// The fraction of samples whose logit has the sign of its label.
func accuracy(logits: Tensor, labels: Tensor) -> Double {
  let correct = zip(logits.scalars, labels.scalars).filter { ($0 > 0) == ($1 > 0.5) }.count
  return Double(correct) / Double(labels.scalarCount)
}

/// Trains an MLP with dropout on two moons and returns it.
func trainMoons(seed: UInt64, steps: Int) throws -> (MLP, SeededGenerator) {
  var generator = SeededGenerator(seed: seed)
  let (x, y) = twoMoons(count: 256, noise: 0.1, generator: &generator)
  var model = MLP(inputSize: 2, hiddenSizes: [32, 32], outputSize: 1, activation: .relu,
                  dropout: 0.05, generator: &generator)
  var optimizer = try Adam(learningRate: 0.01)
  for _ in 0..<steps {
    let batch = (0..<64).map { _ in generator.uniformIndex(below: 256) }
    let (_, gradients) = valueWithGradient(at: model) { model in
      binaryCrossEntropy(logits: model(Variable(x.gatheringRows(batch))), labels: y.gatheringRows(batch))
    }
    optimizer.update(&model, along: gradients)
  }
  return (model, generator)
}

/// The exact maximum-likelihood logistic regression by Newton's method in Double: the reference
/// optimum. Returns (w₁, …, w_d, b).
func newtonLogisticRegression(features: [[Double]], labels: [Double]) -> [Double] {
  let d = features[0].count + 1
  var theta = [Double](repeating: 0, count: d)
  for _ in 0..<50 {
    var gradient = [Double](repeating: 0, count: d)
    var hessian = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    for (row, label) in zip(features, labels) {
      let x = row + [1]
      let z = zip(x, theta).reduce(0) { $0 + $1.0 * $1.1 }
      let p = 1 / (1 + exp(-z))
      for i in 0..<d {
        gradient[i] += (p - label) * x[i]
        for j in 0..<d { hessian[i][j] += p * (1 - p) * x[i] * x[j] }
      }
    }
    // Solve H·step = gradient by Gaussian elimination (d is tiny).
    var a = hessian, b = gradient
    for col in 0..<d {
      let pivot = (col..<d).max { Swift.abs(a[$0][col]) < Swift.abs(a[$1][col]) }!
      a.swapAt(col, pivot); b.swapAt(col, pivot)
      for r in (col + 1)..<d {
        let f = a[r][col] / a[col][col]
        for c in col..<d { a[r][c] -= f * a[col][c] }
        b[r] -= f * b[col]
      }
    }
    var step = [Double](repeating: 0, count: d)
    for r in stride(from: d - 1, through: 0, by: -1) {
      step[r] = (b[r] - ((r + 1)..<d).reduce(0) { $0 + a[r][$1] * step[$1] }) / a[r][r]
    }
    for i in 0..<d { theta[i] -= step[i] }
  }
  return theta
}

@Suite struct TrainingTests {
  @Test func mlpLearnsTwoMoonsToNinetySevenPercent() throws {
    let (trained, _) = try trainMoons(seed: 21, steps: 400)
    var model = trained
    model.setTraining(false)
    var generator = SeededGenerator(seed: 1234)
    let (x, y) = twoMoons(count: 400, noise: 0.1, generator: &generator)
    #expect(accuracy(logits: model(x), labels: y) >= 0.97)
  }

  @Test func sameSeedGivesBitIdenticalWeights() throws {
    let first = try trainMoons(seed: 5, steps: 25).0.flattenedParameters()
    let second = try trainMoons(seed: 5, steps: 25).0.flattenedParameters()
    let other = try trainMoons(seed: 6, steps: 25).0.flattenedParameters()
    #expect(first == second)
    #expect(first != other)
  }

  @Test func logisticRegressionReachesTheMaximumLikelihoodOptimum() throws {
    // Labels from a known logistic model (w = (2, −1), b = 0.5): separable with noise.
    var generator = SeededGenerator(seed: 8)
    let count = 400
    var rows: [[Double]] = [], labels: [Double] = []
    for _ in 0..<count {
      let x = [generator.nextNormal(), generator.nextNormal()]
      let p = 1 / (1 + exp(-(2 * x[0] - x[1] + 0.5)))
      rows.append(x)
      labels.append(generator.nextDouble() < p ? 1 : 0)
    }
    let optimum = newtonLogisticRegression(features: rows, labels: labels)

    let x = Tensor(shape: [count, 2], scalars: rows.flatMap { $0.map(Float.init) })
    let y = Tensor(labels.map(Float.init))
    var model = MLP(inputSize: 2, hiddenSizes: [], outputSize: 1, generator: &generator)
    let steps = 600
    let schedule = try CosineDecayWithWarmup(peakLearningRate: 0.1, warmupSteps: 10, totalSteps: steps)
    var optimizer = try Adam(learningRate: 0.1)
    for step in 0..<steps {
      optimizer.learningRate = schedule.learningRate(atStep: step)
      let (_, gradients) = valueWithGradient(at: model) { model in
        binaryCrossEntropy(logits: model(Variable(x)), labels: y)
      }
      optimizer.update(&model, along: gradients)
    }
    let learned = model.flattenedParameters().scalars.map(Double.init)
    for (value, reference) in zip(learned, optimum) {
      #expect(Swift.abs(value - reference) < 2e-2, "learned \(learned), optimum \(optimum)")
    }
  }
}
