import KilnAutograd
import KilnTensor
import KilnRandom
import Foundation
import KilnData
import KilnNN
import Testing
@testable import KilnRobustness

@Suite struct GradientAttackObjectiveTests {
  let fixture = try! RobustnessFixture(rowCount: 120)

  @Test func squaredErrorFGSMMovesEachPredictionAwayFromItsTarget() {
    // f(x) = x·w, so ∂(f − y)²/∂x = 2(f − y)·w: FGSM moves mutable numerics by ε·sign((f − y)·wⱼ),
    // which changes f by ε·Σⱼ|wⱼ| in the direction of the residual.
    let width = fixture.encoded.featureCount
    let weights: [Float] = (0..<width).map { Float($0 % 3) - 0.8 }
    let model = ClosureModel { input in input.matmul(Variable(Tensor(shape: [width, 1], scalars: weights))) }
    let targets = (0..<fixture.encoded.rowCount).map { Float($0 % 5) - 2 }
    var generator = SeededGenerator(seed: 2)
    let adversarial = GradientAttack(method: .fgsm, epsilon: 0.1, batchSize: 50)
      .adversarialExamples(features: fixture.encoded.features, targets: targets, objective: .squaredError,
                           rowCount: fixture.encoded.rowCount, layout: fixture.layout, model: model, using: &generator)
    let movable = fixture.layout.attackMask.indices.filter { fixture.layout.attackMask[$0] == 1 }
    let push = 0.1 * movable.reduce(0) { $0 + abs(Double(weights[$1])) }
    for row in 0..<fixture.encoded.rowCount {
      func prediction(_ features: [Float]) -> Double {
        (0..<width).reduce(0) { $0 + Double(features[row * width + $1] * weights[$1]) }
      }
      let clean = prediction(fixture.encoded.features), attacked = prediction(adversarial)
      let residual = clean - Double(targets[row])
      guard residual != 0 else { continue }
      #expect(abs(abs(attacked - Double(targets[row])) - (abs(residual) + push)) < 1e-4, "row \(row)")
    }
  }

  @Test func softmaxCrossEntropyFGSMLowersTheTrueClassProbability() {
    let width = fixture.encoded.featureCount
    let weights: [Float] = (0..<(width * 3)).map { Float(($0 * 7) % 5) / 4 - 0.5 }
    let model = ClosureModel(probabilities: { _, _ in [] }, logits: { input in
      input.matmul(Variable(Tensor(shape: [width, 3], scalars: weights)))
    })
    let classes = (0..<fixture.encoded.rowCount).map { Float($0 % 3) }
    var generator = SeededGenerator(seed: 3)
    let adversarial = GradientAttack(method: .fgsm, epsilon: 0.2)
      .adversarialExamples(features: fixture.encoded.features, targets: classes, objective: .softmaxCrossEntropy,
                           rowCount: fixture.encoded.rowCount, layout: fixture.layout, model: model, using: &generator)
    func trueClassLogProbability(_ features: [Float]) -> Double {
      let logits = model.logits(Variable(Tensor(shape: [fixture.encoded.rowCount, width], scalars: features))).value.scalars
      return (0..<fixture.encoded.rowCount).reduce(0) { total, row in
        let values = (0..<3).map { Double(logits[row * 3 + $0]) }
        let largest = values.max()!
        let logSum = log(values.reduce(0) { $0 + exp($1 - largest) }) + largest
        return total + values[Int(classes[row])] - logSum
      }
    }
    #expect(trueClassLogProbability(adversarial) < trueClassLogProbability(fixture.encoded.features) - 1)
  }
}
