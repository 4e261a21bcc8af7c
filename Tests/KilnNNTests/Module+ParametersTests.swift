import KilnAutograd
import KilnTensor
import KilnRandom
import KilnNN
import Testing

@Suite struct ModuleParametersTests {
  func makeModel() -> MLP {
    var generator = SeededGenerator(seed: 1)
    return MLP(inputSize: 3, hiddenSizes: [4, 5], outputSize: 2, generator: &generator)
  }

  @Test func parameterPathsAreDottedAndOrdered() {
    #expect(makeModel().parameterPaths == [
      "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
      "layers.2.weight", "layers.2.bias",
    ])
    #expect(makeModel().parameterCount == 3 * 4 + 4 + 4 * 5 + 5 + 5 * 2 + 2)
  }

  @Test func setParameterReplacesByPathAndRejectsMismatches() throws {
    var model = makeModel()
    try model.setParameter(Tensor.ones(shape: [5]), at: "layers.1.bias")
    #expect(model.parameter(at: "layers.1.bias")?.scalars == [1, 1, 1, 1, 1])
    #expect(throws: ParameterError.self) { try model.setParameter(Tensor.ones(shape: [4]), at: "layers.1.bias") }
    #expect(throws: ParameterError.self) { try model.setParameter(Tensor.ones(shape: [5]), at: "layers.9.bias") }
  }

  @Test func loadParametersRoundTripsAndRequiresEveryPath() throws {
    let source = makeModel()
    var generator = SeededGenerator(seed: 99)
    var target = MLP(inputSize: 3, hiddenSizes: [4, 5], outputSize: 2, generator: &generator)
    let values = Dictionary(uniqueKeysWithValues: source.namedParameters.map { ($0.path, $0.value) })
    try target.loadParameters(values)
    #expect(target.flattenedParameters() == source.flattenedParameters())
    var partial = values
    partial["layers.0.weight"] = nil
    #expect(throws: ParameterError.self) { try target.loadParameters(partial) }
  }

  @Test func flattenedParametersRoundTrip() {
    var model = makeModel()
    let flat = model.flattenedParameters()
    #expect(flat.scalarCount == model.parameterCount)
    model.assignFlattenedParameters(Tensor.zeros(shape: [flat.scalarCount]))
    #expect(model.flattenedParameters().scalars.allSatisfy { $0 == 0 })
    model.assignFlattenedParameters(flat)
    #expect(model.flattenedParameters() == flat)
  }

  @Test func gradientsComeBackUnderTheParameterPaths() {
    let model = makeModel()
    let x = Tensor.ones(shape: [2, 3])
    let (_, gradients) = valueWithGradient(at: model) { model in model(Variable(x)).sum() }
    #expect(gradients.paths == model.parameterPaths)
    // ∂/∂b of Σ outputs is the batch size for the output bias.
    #expect(gradients["layers.2.bias"]?.scalars == [2, 2])
    var copy = gradients
    copy.assign(flattened: gradients.flattened())
    #expect(copy.tensors == gradients.tensors)
  }

  @Test func detachedModelsRecordNothing() {
    let model = makeModel()
    let (_, gradients) = valueWithGradient(at: model) { model in
      model.detached()(Variable(Tensor.ones(shape: [1, 3]))).sum()
    }
    #expect(gradients.tensors.allSatisfy { $0.scalars.allSatisfy { $0 == 0 } })
  }
}
