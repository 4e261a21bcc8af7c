import KilnAutograd
import KilnTensor
import KilnNN
import KilnOptim
import KilnRandom
import Testing

/// A module with one scalar parameter, so update rules can be followed by hand.
struct ScalarModule: Module {
  var value = Variable(Tensor([1]))
  mutating func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void) {
    visit(prefix + "value", &value)
  }
}

/// Applies the gradients 0.5, −1, 0.25 in turn from θ = 1 and returns θ after each step.
func trajectory<O: Optimizer>(_ optimizer: O) -> [Float] {
  var optimizer = optimizer
  var model = ScalarModule()
  var values: [Float] = []
  for gradient: Float in [0.5, -1, 0.25] {
    optimizer.update(&model, along: Gradients(paths: ["value"], tensors: [Tensor([gradient])]))
    values.append(model.value.value.scalar)
  }
  return values
}

func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double = 1e-6) {
  #expect(actual.count == expected.count)
  for (a, e) in zip(actual, expected) {
    #expect(Swift.abs(Double(a) - e) < tolerance, "got \(actual), expected \(expected)")
  }
}

// Expected values follow the rules in each optimizer's doc comment, step by step. For example Adam
// (η = 0.1): m₁ = 0.05, v₁ = 0.00025, m̂₁ = 0.5, v̂₁ = 0.25, θ₁ = 1 − 0.1·0.5/0.5 = 0.9; then
// m₂ = 0.045 − 0.1 = −0.055, v₂ = 0.00024975 + 0.001, θ₂ = 0.9 + 0.1·0.28947/0.79069 = 0.93661.
@Suite struct OptimizerUpdateTests {
  @Test func adamFollowsThePublishedRule() throws {
    expectClose(trajectory(try Adam(learningRate: 0.1)), [0.9, 0.936610354, 0.950279420])
  }

  @Test func adamWithL2DecayAddsItToTheGradient() throws {
    expectClose(trajectory(try Adam(learningRate: 0.1, weightDecay: 0.1)), [0.9, 0.925263519, 0.924730574])
  }

  @Test func adamWDecaysTheWeightsDirectly() throws {
    expectClose(trajectory(try AdamW(learningRate: 0.1, weightDecay: 0.1)), [0.89, 0.917710354, 0.922202317])
  }

  @Test func sgdWithoutMomentumStepsAgainstTheGradient() throws {
    expectClose(trajectory(try SGD(learningRate: 0.1)), [0.95, 1.05, 1.025])
  }

  @Test func sgdWithMomentumAccumulatesVelocity() throws {
    expectClose(trajectory(try SGD(learningRate: 0.1, momentum: 0.9)), [0.95, 1.005, 1.0295])
  }

  @Test func sgdWithNesterovAndWeightDecay() throws {
    expectClose(trajectory(try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01)),
                [0.9031, 1.05007411, 1.043668458])
  }

  @Test func rmspropFollowsThePublishedRule() throws {
    expectClose(trajectory(try RMSprop(learningRate: 0.01)), [0.90000002, 0.989532308, 0.967584957])
  }

  @Test func rmspropWithMomentum() throws {
    expectClose(trajectory(try RMSprop(learningRate: 0.01, momentum: 0.9)), [0.90000002, 0.899532326, 0.877164051])
  }

  @Test func constructorsRejectBadHyperparametersNamingTheValue() {
    #expect(throws: OptimizerConfigurationError.self) { try Adam(beta1: 1.2) }
    do {
      _ = try Adam(beta2: 1)
      Issue.record("Adam accepted beta2 = 1")
    } catch let error as OptimizerConfigurationError {
      #expect(error.description.hasPrefix("Invalid beta2 1.0: must be in [0, 1)"))
    } catch {
      Issue.record("unexpected error \(error)")
    }
    #expect(throws: OptimizerConfigurationError.self) { try SGD(learningRate: -1) }
    #expect(throws: OptimizerConfigurationError.self) { try SGD(learningRate: 0.1, nesterov: true) }
    #expect(throws: OptimizerConfigurationError.self) { try RMSprop(alpha: 1.5) }
    #expect(throws: OptimizerConfigurationError.self) { try AdamW(weightDecay: -0.1) }
  }

  @Test func importingStateThatLacksAnEntryNamesIt() throws {
    var adam = try Adam(learningRate: 0.1)
    var model = ScalarModule()
    adam.update(&model, along: Gradients(paths: ["value"], tensors: [Tensor([0.5])]))
    var saved = adam.exportState(paths: ["value"])
    saved.tensors["value/second_moment"] = nil
    var restored = try Adam(learningRate: 0.1)
    do {
      try restored.importState(saved, paths: ["value"])
      Issue.record("Adam imported state without a second moment")
    } catch let error as OptimizerStateError {
      #expect(error.missing == "value/second_moment")
      #expect(error.description == "the optimizer state lacks `value/second_moment`\n  hint: the state was saved by a different optimizer or for a different model")
    }
  }

  @Test func optimizerStateIsTyped() throws {
    var adam = try Adam(learningRate: 0.1)
    var model = ScalarModule()
    adam.update(&model, along: Gradients(paths: ["value"], tensors: [Tensor([0.5])]))
    #expect(adam.states.count == 1)
    #expect(adam.states[0].step == 1)
    #expect(Swift.abs(adam.states[0].firstMoment.scalar - 0.05) < 1e-7)
  }

  @Test func adamUpdatesLargeParametersLikeTheScalarRule() throws {
    // The vectorised kernel handles groups of eight plus a tail; every lane must follow the rule.
    var h = try Adam(learningRate: 0.1).hyperparameters
    h.weightDecay = 0
    let count = 19
    var parameter = Tensor.ones(shape: [count])
    var state = AdamState(like: parameter)
    Adam.step(&parameter, gradient: Tensor.full(shape: [count], value: 0.5), state: &state, h)
    Adam.step(&parameter, gradient: Tensor.full(shape: [count], value: -1), state: &state, h)
    for value in parameter.scalars { #expect(Swift.abs(Double(value) - 0.936610354) < 1e-6) }
  }
}

@Suite struct ClippingTests {
  @Test func clipByGlobalNormRescalesAllGradientsTogether() {
    var gradients = Gradients(paths: ["a", "b"], tensors: [Tensor([3]), Tensor([4])])
    let norm = clipByGlobalNorm(&gradients, maximumNorm: 1)
    #expect(norm == 5)
    #expect(Swift.abs(gradients.tensors[0].scalar - 0.6) < 1e-6)
    #expect(Swift.abs(gradients.tensors[1].scalar - 0.8) < 1e-6)
    var small = Gradients(paths: ["a"], tensors: [Tensor([0.5])])
    clipByGlobalNorm(&small, maximumNorm: 1)
    #expect(small.tensors[0].scalar == 0.5)
  }
}

@Suite(.serialized) struct ParallelAdamTests {
  /// Adam's update of a tensor of 2¹⁸ elements or more is split over the BLAS threads; every
  /// element's arithmetic is the one-thread arithmetic, so the results are equal bit for bit.
  @Test(arguments: [false, true])
  func aLargeUpdateDoesNotDependOnTheThreadCount(decoupled: Bool) throws {
    var generator = SeededGenerator(seed: 3)
    let count = ElementwiseParallelism.minimumElements + 4_099
    let start = Tensor.randomUniform(shape: [count], lower: -1, upper: 1, using: &generator)
    let gradients = (0..<3).map { _ in Tensor.randomUniform(shape: [count], lower: -1, upper: 1, using: &generator) }
    let h = try Adam(learningRate: 0.01, weightDecay: 0.1).hyperparameters
    func trained(threads: Int) -> [Float] {
      let saved = BLASThreads.maximum
      defer { BLASThreads.maximum = saved }
      BLASThreads.maximum = threads
      var parameter = start, state = AdamState(like: start)
      for gradient in gradients { Adam.step(&parameter, gradient: gradient, state: &state, h, decoupled: decoupled) }
      return parameter.scalars
    }
    let one = trained(threads: 1), three = trained(threads: 3)
    // Compared element by element: a failing `==` on arrays this long would diff them.
    #expect(one.count == three.count && zip(one, three).allSatisfy { $0.bitPattern == $1.bitPattern },
            "largest difference \(zip(one, three).map { abs($0 - $1) }.max() ?? 0)")
    #expect(zip(one, start.scalars).contains { $0 != $1 })
  }
}
