import Foundation
import Testing
import KilnRandom
import KilnNN
import KilnTensor
import KilnAutograd
import KilnOptim
@testable import KilnConfiguration
@testable import KilnTraining

private func experiment(optimizer: String) -> String {
  """
  name: groups
  dataset: datasets/x.h5
  model: {kind: mlp, hidden: [4], activation: relu}
  training:
    epochs: 1
    batch_size: 8
    seed: 7
    optimizer: \(optimizer)
  """
}

private let model: MLP = {
  var generator = SeededGenerator(seed: 1)
  return MLP(inputSize: 3, hiddenSizes: [4], outputSize: 1, generator: &generator)
}()

private func settings(_ optimizer: String) throws -> [String: ParameterSettings] {
  let configuration = try ExperimentConfiguration.parse(experiment(optimizer: optimizer), file: "x.yaml")
  return try OptimizerRegistry.makeOptimizer(configuration.training.optimizer, parameters: model.parameterKinds).parameterSettings
}

@Suite struct ParameterGroupTests {
  @Test func byDefaultBiasesDoNotDecayAndWeightsKeepTheOptimizersSettings() throws {
    let found = try settings("{kind: adamw, lr: 1.0e-3, weight_decay: 0.05}")
    #expect(found == ["layers.0.bias": try ParameterSettings(weightDecay: 0), "layers.1.bias": try ParameterSettings(weightDecay: 0)])
  }

  @Test func aGroupInTheFileOverridesTheDefaultAndSetsItsOwnLearningRate() throws {
    let found = try settings("""
      {kind: adamw, lr: 1.0e-3, weight_decay: 0.05, param_groups: [{kinds: [bias], weight_decay: 0.01}, {paths: ["layers.0.*"], lr: 5.0e-4}]}
      """)
    #expect(found["layers.0.bias"] == (try ParameterSettings(weightDecay: 0.01)))
    #expect(found["layers.1.bias"] == (try ParameterSettings(weightDecay: 0.01)))
    #expect(found["layers.0.weight"] == (try ParameterSettings(learningRateFactor: 0.5)))
    #expect(found["layers.1.weight"] == nil)
  }

  @Test func pathPatternsMatchAnyRunOfCharactersAtTheirStars() {
    let cases: [(String, String, Bool)] = [("layers.0.*", "layers.0.bias", true), ("layers.0.*", "layers.10.bias", false),
                                           ("*.bias", "layers.1.bias", true), ("*.bias", "layers.1.weight", false),
                                           ("layers.*.weight", "layers.3.weight", true), ("a*a", "a", false), ("*", "x", true),
                                           ("layers.0.weight", "layers.0.weight", true), ("layers.0.weight", "layers.0.bias", false)]
    for (pattern, path, expected) in cases {
      #expect(ParameterGroupConfiguration.pattern(pattern, matches: path) == expected, "\(pattern) on \(path)")
    }
  }

  @Test func layerNormParametersAreNormalizationParameters() {
    #expect(LayerNorm(featureCount: 3).parameterKinds.map(\.kind) == [.normalization, .normalization])
    #expect(model.parameterKinds.map(\.kind) == [.weight, .bias, .weight, .bias])
  }

  @Test func weightDecayReachesOnlyTheParametersOfItsGroup() throws {
    var generator = SeededGenerator(seed: 2)
    let inputs = Tensor.randomUniform(shape: [8, 3], using: &generator)
    let (_, gradients) = valueWithGradient(at: model) { $0(Variable(inputs)).sum() }
    // Biases start at zero, where decay does nothing; move them off it.
    var start = model
    for path in ["layers.0.bias", "layers.1.bias"] {
      try start.setParameter(Tensor.full(shape: try #require(model.parameter(at: path)).shape, value: 0.5), at: path)
    }
    func stepped(_ optimizer: some Optimizer) -> [String: Tensor] {
      var optimizer = optimizer, updated = start
      optimizer.update(&updated, along: gradients)
      return Dictionary(uniqueKeysWithValues: updated.namedParameters.map { ($0.path, $0.value) })
    }
    var grouped = try AdamW(learningRate: 0.1, weightDecay: 0.5)
    grouped.parameterSettings = try OptimizerRegistry.makeOptimizer(
      OptimizerConfiguration(kind: .adamw, lr: 0.1, weightDecay: 0.5), parameters: model.parameterKinds).parameterSettings
    let withGroups = stepped(grouped)
    let decayed = stepped(try AdamW(learningRate: 0.1, weightDecay: 0.5))
    let undecayed = stepped(try AdamW(learningRate: 0.1, weightDecay: 0))
    #expect(withGroups["layers.0.weight"] == decayed["layers.0.weight"])
    #expect(withGroups["layers.1.weight"] == decayed["layers.1.weight"])
    #expect(withGroups["layers.0.bias"] == undecayed["layers.0.bias"])
    #expect(withGroups["layers.1.bias"] == undecayed["layers.1.bias"])
    #expect(decayed["layers.0.bias"] != undecayed["layers.0.bias"])
  }

  @Test func aBadGroupIsAnErrorNamingItsKey() throws {
    func problems(_ optimizer: String) -> [ConfigurationError.Problem] {
      configurationProblems(experiment(optimizer: optimizer), file: "x.yaml")
    }
    #expect(problems("{kind: adam, lr: 0.1, param_groups: [{lr: 0.01}]}").map(\.keyPath) == ["training.optimizer.param_groups[0]"])
    #expect(problems("{kind: adam, lr: 0.1, param_groups: [{kinds: [bias]}]}").map(\.keyPath) == ["training.optimizer.param_groups[0]"])
    #expect(problems("{kind: adam, lr: 0.1, param_groups: [{kinds: [bias], weight_decay: -1}]}").map(\.keyPath)
            == ["training.optimizer.param_groups[0].weight_decay"])
    let misspelt = problems("{kind: adam, lr: 0.1, param_groups: [{kinds: [biases], lr: 0.01}]}")
    #expect(misspelt.first?.keyPath.hasPrefix("training.optimizer.param_groups[0].kinds") == true)
    #expect(misspelt.first?.hint == "did you mean `bias`?")
    #expect(throws: TrainingError.self) { try settings("{kind: adam, lr: 0.1, param_groups: [{paths: [\"encoder.*\"], lr: 0.01}]}") }
    do {
      _ = try settings("{kind: adam, lr: 0.1, param_groups: [{paths: [\"encoder.*\"], lr: 0.01}]}")
    } catch {
      #expect("\(error)".contains("training.optimizer.param_groups[0] matches no parameter"))
    }
  }

  @Test func oneRuleChecksEachHyperparameterInTheFileAndInTheInitialisers() {
    for (value, accepted) in [(0.0, false), (1e-8, true)] {
      let found = (try? ExperimentConfiguration.parse(experiment(optimizer: "{kind: adam, lr: 0.1, epsilon: \(value)}"), file: "x.yaml")) != nil
      #expect(found == accepted)
      #expect(((try? Adam(epsilon: Float(value))) != nil) == accepted)
    }
  }

  @Test func stateRoundTripsThroughItsExport() throws {
    var generator = SeededGenerator(seed: 3)
    let inputs = Tensor.randomUniform(shape: [8, 3], using: &generator)
    let (_, gradients) = valueWithGradient(at: model) { $0(Variable(inputs)).sum() }
    for kind in OptimizerConfiguration.Kind.allCases {
      var optimizer = try OptimizerRegistry.makeOptimizer(OptimizerConfiguration(kind: kind, lr: 0.1, momentum: 0.5),
                                                          parameters: model.parameterKinds)
      var trained = model
      optimizer.update(&trained, along: gradients)
      var restored = try OptimizerRegistry.makeOptimizer(OptimizerConfiguration(kind: kind, lr: 0.1, momentum: 0.5),
                                                         parameters: model.parameterKinds)
      try restored.importState(optimizer.exportState(paths: model.parameterPaths), paths: model.parameterPaths)
      var once = trained, twice = trained
      optimizer.update(&once, along: gradients)
      restored.update(&twice, along: gradients)
      #expect(once.flattenedParameters().scalars == twice.flattenedParameters().scalars, "\(kind)")
      #expect(type(of: optimizer).kind == kind.rawValue)
    }
  }
}
