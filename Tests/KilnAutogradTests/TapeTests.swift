import KilnTensor
import KilnRandom
import KilnAutograd
import Testing

@Suite struct TapeTests {
  @Test func gradientsOfAValueUsedTwiceAccumulate() {
    // f(x) = Σ x·x + x, so ∂f/∂x = 2x + 1.
    let x = Tensor([1, -2, 0.5])
    let grad = gradient(at: x) { x in (x * x + x).sum() }
    #expect(grad.scalars == [3, -3, 2])
  }

  @Test func valueWithGradientReturnsTheValue() {
    let (value, grad) = valueWithGradient(at: Tensor([3])) { x in (x * x).sum() }
    #expect(value.scalar == 9)
    #expect(grad.scalars == [6])
  }

  @Test func gradientWithRespectToInputsFlowsThroughConstantParameters() {
    // loss = Σ (x·Wᵀ), so ∂loss/∂x[i, j] = Σ_o W[o, j].
    let weight = Variable(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
    let x = Tensor.ones(shape: [2, 3])
    let grad = gradient(at: x) { x in linear(x, weight: weight, bias: nil).sum() }
    #expect(grad.scalars == [5, 7, 9, 5, 7, 9])
  }

  @Test func detachedVariablesStopGradients() {
    let grad = gradient(at: Tensor([2])) { x in (x * x.detached()).sum() }
    #expect(grad.scalars == [2])
  }

  @Test func operationsOnConstantsRecordNothing() {
    let y = Variable(Tensor([1, 2])) * Variable(Tensor([3, 4]))
    #expect(!y.isTracked)
    #expect(y.value.scalars == [3, 8])
  }

  @Test func unusedInputsGetZeroGradients() {
    let (_, gradients) = valueWithGradient(at: [Tensor([1, 2]), Tensor([5])]) { inputs in inputs[0].sum() }
    #expect(gradients[0].scalars == [1, 1])
    #expect(gradients[1].scalars == [0])
  }

  @Test func gradientsAreBitIdenticalAcrossRuns() {
    var generator = SeededGenerator(seed: 11)
    let x = Tensor.randomNormal(shape: [8, 5], using: &generator)
    let w = Tensor.randomNormal(shape: [4, 5], using: &generator)
    let run = {
      valueWithGradient(at: [x, w]) { v in
        linear(v[0], weight: v[1], bias: nil).tanh().logSoftmax().sum() + (v[0] * v[0]).mean()
      }.gradients
    }
    #expect(run() == run())
  }

  @Test func deepChainsDoNotRecurse() {
    // Ten thousand nodes: a recursive backward pass would exhaust the stack.
    let grad = gradient(at: Tensor([1])) { x in
      var y = x
      for _ in 0..<10_000 { y = y * 1.0001 }
      return y.sum()
    }
    #expect(Swift.abs(grad.scalar - 2.71801) < 1e-2)
  }
}
