import KilnTensor
/// One recorded operation: its primitive (with whatever the backward rule needs saved) and the tape
/// indices of its inputs (`-1` for constants, which receive no gradient).
struct TapeNode {
  let primitive: Primitive
  let inputs: [Int]
}

/// An explicit, ordered record of operations (define-by-run).
///
/// Nodes are appended in execution order, so the array is already a topological order: the backward
/// pass walks it once in reverse, with no recursion and a fixed accumulation order, which makes
/// gradients deterministic.
final class Tape {
  private(set) var nodes: [TapeNode] = []

  init() { nodes.reserveCapacity(64) }

  /// Records `value` as a differentiable input (a leaf).
  func leaf(_ value: Tensor) -> Variable {
    nodes.append(TapeNode(primitive: .leaf, inputs: []))
    return Variable(value: value, tape: self, index: nodes.count - 1)
  }

  /// The tape shared by `inputs`, if any is tracked. Mixing two tapes is a programming error.
  @inline(__always)
  static func shared(by inputs: [Variable]) -> Tape? {
    var found: Tape?
    for input in inputs {
      guard let tape = input.tape else { continue }
      if let existing = found {
        precondition(existing === tape, "autograd: an operation mixes variables from two gradient tapes")
      } else {
        found = tape
      }
    }
    return found
  }

  /// The result of an operation: tracked (with a new node) when any input is tracked, else constant.
  /// `primitive` is only evaluated when something is recorded.
  @inline(__always)
  static func record(
    _ primitive: @autoclosure () -> Primitive, inputs: [Variable], output: Tensor
  ) -> Variable {
    guard let tape = shared(by: inputs) else { return Variable(output) }
    tape.nodes.append(TapeNode(primitive: primitive(), inputs: inputs.map { $0.tape == nil ? -1 : $0.index }))
    return Variable(value: output, tape: tape, index: tape.nodes.count - 1)
  }

  /// Reverse-mode sweep from `output`, seeded with ones of its shape. Returns the gradient of every
  /// node (nil where no gradient reached). Gradients of intermediate nodes are released as soon as
  /// they have been propagated; leaves keep theirs.
  ///
  /// One pair of rules is joined: when a one-output linear layer is the only consumer of a
  /// linear-ReLU's output (the head of a binary classifier or a regressor), its input gradient,
  /// the outer product g·W, is not formed; the linear-ReLU rule below forms it as it masks it,
  /// which saves a pass over the hidden activations and a buffer of their size.
  func gradients(of output: Variable) -> [Tensor?] {
    precondition(output.tape === self, "autograd: the output was not computed on this tape")
    var gradients = [Tensor?](repeating: nil, count: nodes.count)
    gradients[output.index] = Tensor.ones(shape: output.shape)
    let consumers = consumerCounts()
    var outerProducts: [Int: (left: Tensor, right: Tensor)] = [:]
    for position in stride(from: output.index, through: 0, by: -1) {
      let node = nodes[position]
      if case .leaf = node.primitive { continue }
      var needed = node.inputs.map { $0 >= 0 }
      let inputGradients: [Tensor?]
      if let factors = outerProducts.removeValue(forKey: position),
         case let .linearReLU(input, weight, hasBias, reluOutput) = node.primitive {
        inputGradients = Primitive.linearReLUBackward(
          outerProductOf: factors.left, factors.right, input: input, weight: weight, hasBias: hasBias,
          needed: needed, reluOutput: reluOutput)
      } else {
        guard let gradient = gradients[position] else { continue }
        gradients[position] = nil
        let below = outerProductConsumer(node, consumers: consumers)
        if let below {
          needed[0] = false
          outerProducts[below.index] = (left: gradient, right: below.weight)
        }
        // Handed on, not copied: a backward rule may then write over the gradient (linearReLU's mask).
        inputGradients = node.primitive.backward(consume gradient, needed: needed)
      }
      for (slot, input) in node.inputs.enumerated() where needed[slot] {
        guard let contribution = inputGradients[slot] else { continue }
        if gradients[input] == nil {
          gradients[input] = contribution
        } else {
          gradients[input]! += contribution
        }
      }
    }
    return gradients
  }

  /// How many input slots of recorded nodes refer to each node.
  private func consumerCounts() -> [Int] {
    var counts = [Int](repeating: 0, count: nodes.count)
    for node in nodes {
      for input in node.inputs where input >= 0 { counts[input] += 1 }
    }
    return counts
  }

  /// The linear-ReLU node whose output only `node` consumes, when `node` is a one-output linear
  /// layer on it: that node then receives `node`'s input gradient as an outer product.
  private func outerProductConsumer(_ node: TapeNode, consumers: [Int]) -> (index: Int, weight: Tensor)? {
    guard case let .linear(input, weight, _) = node.primitive, weight.shape[0] == 1, input.rank == 2,
          let below = node.inputs.first, below >= 0, consumers[below] == 1,
          case .linearReLU = nodes[below].primitive else { return nil }
    return (below, weight)
  }
}
