import KilnAutograd
import KilnTensor
import KilnRandom
import Foundation
import KilnData
import KilnNN
import Testing
@testable import KilnRobustness

@Suite struct GradientAttackTests {
  let fixture = try! RobustnessFixture(rowCount: 200)

  @Test func fgsmStepsAlongTheSignOfTheLossGradientOfALogisticModel() {
    // logit = x·w + b, so ∂BCE/∂x = (σ(logit) − y)·w and FGSM moves each mutable numeric by
    // ε·sign((σ − y)·wⱼ).
    let width = fixture.encoded.featureCount
    let weights: [Float] = (0..<width).map { Float($0 % 3) - 0.8 }
    let model = ClosureModel { input in
      input.matmul(Variable(Tensor(shape: [width, 1], scalars: weights))) + Variable(Tensor(0.1))
    }
    var generator = SeededGenerator(seed: 1)
    let attack = GradientAttack(method: .fgsm, epsilon: 0.2, batchSize: 64)
    let adversarial = attack.adversarialExamples(features: fixture.encoded.features, labels: fixture.labels,
                                                 rowCount: fixture.encoded.rowCount, layout: fixture.layout, model: model,
                                                 using: &generator)
    for row in 0..<fixture.encoded.rowCount {
      let x = Array(fixture.encoded.features[(row * width)..<((row + 1) * width)])
      let logit = zip(x, weights).map { Double($0 * $1) }.reduce(0.1, +)
      let residual = 1 / (1 + exp(-logit)) - Double(fixture.labels[row])
      for column in 0..<width {
        let expected = [0, 2].contains(column) ? x[column] + 0.2 * Float(residual * Double(weights[column]) > 0 ? 1 : -1) : x[column]
        #expect(abs(adversarial[row * width + column] - expected) < 1e-6)
      }
    }
  }

  @Test func pgdStaysInTheBudgetKeepsImmutablesAndLowersAccuracy() throws {
    let model = try fixture.trainedModel()
    let rows = fixture.encoded.rowCount, width = fixture.encoded.featureCount
    var generator = SeededGenerator(seed: 2)
    let attack = GradientAttack(method: .pgd(steps: 10, stepSize: nil, randomStart: true), epsilon: 0.5)
    let adversarial = attack.adversarialExamples(features: fixture.encoded.features, labels: fixture.labels, rowCount: rows,
                                                 layout: fixture.layout, model: model, using: &generator)
    let mask = fixture.layout.attackMask
    for index in adversarial.indices {
      let delta = abs(adversarial[index] - fixture.encoded.features[index])
      #expect(mask[index % width] == 1 ? delta <= 0.5 + 1e-5 : delta == 0)
    }
    let clean = accuracy(model, features: fixture.encoded.features, rowCount: rows, labels: fixture.labels)
    let attacked = accuracy(model, features: adversarial, rowCount: rows, labels: fixture.labels)
    #expect(clean > 0.85)
    #expect(attacked < clean - 0.1)
  }

  @Test func pgdWithoutRandomStartIsDeterministicAndAtLeastAsStrongAsOneFGSMStep() throws {
    let model = try fixture.trainedModel()
    let rows = fixture.encoded.rowCount
    func run(_ method: GradientAttack.Method) -> [Float] {
      var generator = SeededGenerator(seed: 9)
      return GradientAttack(method: method, epsilon: 0.3).adversarialExamples(
        features: fixture.encoded.features, labels: fixture.labels, rowCount: rows, layout: fixture.layout, model: model, using: &generator)
    }
    let pgd = run(.pgd(steps: 10, stepSize: 0.1, randomStart: false))
    #expect(pgd == run(.pgd(steps: 10, stepSize: 0.1, randomStart: false)))
    let fgsm = run(.fgsm)
    #expect(accuracy(model, features: pgd, rowCount: rows, labels: fixture.labels)
            <= accuracy(model, features: fgsm, rowCount: rows, labels: fixture.labels) + 0.02)
  }

  @Test func aZeroBudgetChangesNothing() throws {
    let model = try fixture.trainedModel(steps: 5)
    var generator = SeededGenerator(seed: 1)
    let adversarial = GradientAttack(method: .fgsm, epsilon: 0).adversarialExamples(
      features: fixture.encoded.features, labels: fixture.labels, rowCount: fixture.encoded.rowCount,
      layout: fixture.layout, model: model, using: &generator)
    #expect(adversarial == fixture.encoded.features)
  }
}
