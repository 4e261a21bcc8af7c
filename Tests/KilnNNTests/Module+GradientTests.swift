import KilnTensor
import KilnRandom
import KilnAutograd
import KilnNN
import Testing

@Suite struct ModuleGradientTests {
  @Test func inputGradientOfAModelMatchesFiniteDifferences() {
    // What FGSM and PGD need: ∂loss/∂x with the model's parameters held constant.
    var generator = SeededGenerator(seed: 31)
    let model = MLP(inputSize: 3, hiddenSizes: [5], outputSize: 1, activation: .tanh, generator: &generator)
    let x = Tensor.randomNormal(shape: [4, 3], using: &generator)
    let labels = Tensor([1, 0, 1, 0])
    let result = GradientChecker.check(inputs: [x]) { inputs in
      binaryCrossEntropy(logits: model(inputs[0]), labels: labels)
    }
    #expect(result.passes(tolerance: 1e-2), "relative error \(result.maximumRelativeError)")
    let grad = gradient(at: x) { x in binaryCrossEntropy(logits: model(x), labels: labels) }
    #expect(grad.shape == [4, 3])
    #expect(grad.scalars.contains { $0 != 0 })
  }

  @Test func parameterGradientsOfAModelMatchFiniteDifferences() {
    var generator = SeededGenerator(seed: 32)
    let model = MLP(inputSize: 2, hiddenSizes: [3], outputSize: 2, activation: .gelu, generator: &generator)
    let x = Tensor.randomNormal(shape: [5, 2], using: &generator)
    let labels = Tensor([0, 1, 1, 0, 1])
    let (_, gradients) = valueWithGradient(at: model) { model in
      softmaxCrossEntropy(logits: model(Variable(x)), labels: labels)
    }
    // The same loss as a function of the parameter tensors, checked numerically.
    let values = model.namedParameters.map(\.value)
    let result = GradientChecker.check(inputs: values) { parameters in
      var copy = model
      var index = 0
      copy.visitParameters(prefix: "") { _, parameter in
        parameter = parameters[index]
        index += 1
      }
      return softmaxCrossEntropy(logits: copy(Variable(x)), labels: labels)
    }
    #expect(result.passes(tolerance: 1e-2), "relative error \(result.maximumRelativeError)")
    #expect(gradients.tensors.map(\.shape) == values.map(\.shape))
  }

  @Test func layerNormGradientMatchesFiniteDifferences() {
    var generator = SeededGenerator(seed: 33)
    let norm = LayerNorm(featureCount: 4)
    let x = Tensor.randomNormal(shape: [3, 4], using: &generator)
    let result = GradientChecker.check(inputs: [x]) { inputs in norm(inputs[0]) }
    #expect(result.passes(tolerance: 1e-2), "relative error \(result.maximumRelativeError)")
  }
}
