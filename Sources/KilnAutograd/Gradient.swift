import KilnTensor
/// Evaluates `function` at `inputs` on a fresh tape and returns its value and the gradient of the
/// sum of its output with respect to each input (zeros for inputs it does not depend on).
///
/// The tape lives only for this call, so nothing outside it records operations.
public func valueWithGradient(
  at inputs: [Tensor], of function: ([Variable]) -> Variable
) -> (value: Tensor, gradients: [Tensor]) {
  let tape = Tape()
  let leaves = inputs.map { tape.leaf($0) }
  let output = function(leaves)
  guard output.tape === tape else {
    return (output.value, inputs.map { Tensor.zeros(shape: $0.shape) })
  }
  let all = tape.gradients(of: output)
  return (output.value, zip(leaves, inputs).map { leaf, input in
    all[leaf.index] ?? Tensor.zeros(shape: input.shape)
  })
}

/// The value of `function` at `input` and its gradient with respect to `input`.
public func valueWithGradient(
  at input: Tensor, of function: (Variable) -> Variable
) -> (value: Tensor, gradient: Tensor) {
  let (value, gradients) = valueWithGradient(at: [input]) { function($0[0]) }
  return (value, gradients[0])
}

/// The gradient of `function` with respect to its input, e.g. ∂loss/∂x for adversarial attacks
/// (FGSM: x + ε·sign(∇ₓ loss)). Model parameters used inside are constants here.
public func gradient(at input: Tensor, of function: (Variable) -> Variable) -> Tensor {
  valueWithGradient(at: input, of: function).gradient
}
