import KilnAutograd
import KilnTensor
import Foundation
import KilnNN
import Testing

@Suite struct LossTests {
  @Test func binaryCrossEntropyMatchesTheDefinitionAndStaysFinite() {
    let logits = Variable(Tensor([0.5, -1.5]))
    let labels = Tensor([1, 0])
    let expected = (-log(1 / (1 + exp(-0.5))) - log(1 - 1 / (1 + exp(1.5)))) / 2
    #expect(Swift.abs(Double(binaryCrossEntropy(logits: logits, labels: labels).value.scalar) - expected) < 1e-6)
    let extreme = binaryCrossEntropy(logits: Variable(Tensor([1000, -1000, 1000])), labels: Tensor([1, 0, 0]))
    #expect(extreme.value.scalar.isFinite)
    #expect(Swift.abs(extreme.value.scalar - 1000.0 / 3) < 1e-2)
  }

  @Test func weightsAndReductionsCombineAsDocumented() {
    let predictions = Variable(Tensor([1, 2, 3]))
    let targets = Tensor([0, 0, 0])
    let weights = Tensor([1, 0, 3])
    // Σ w·l / Σ w = (1·1 + 3·9) / 4 = 7; the sum is 28.
    #expect(meanSquaredError(predictions: predictions, targets: targets, weights: weights).value.scalar == 7)
    #expect(meanSquaredError(predictions: predictions, targets: targets, weights: weights, reduction: .sum).value.scalar == 28)
    #expect(meanAbsoluteError(predictions: predictions, targets: targets).value.scalar == 2)
    #expect(meanAbsoluteError(predictions: predictions, targets: targets, reduction: .sum).value.scalar == 6)
  }

  @Test func softmaxCrossEntropyMatchesMinusLogProbability() {
    let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0])
    let loss = softmaxCrossEntropy(logits: Variable(logits), labels: Tensor([2, 0]), reduction: .sum)
    let expected = -logits.logSoftmax().scalars[2] - logits.logSoftmax().scalars[3]
    #expect(Swift.abs(loss.value.scalar - expected) < 1e-5)
  }
}
