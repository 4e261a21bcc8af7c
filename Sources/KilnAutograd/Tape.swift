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
  func gradients(of output: Variable) -> [Tensor?] {
    precondition(output.tape === self, "autograd: the output was not computed on this tape")
    var gradients = [Tensor?](repeating: nil, count: nodes.count)
    gradients[output.index] = Tensor.ones(shape: output.shape)
    for position in stride(from: output.index, through: 0, by: -1) {
      let node = nodes[position]
      if case .leaf = node.primitive { continue }
      guard let gradient = gradients[position] else { continue }
      gradients[position] = nil
      let needed = node.inputs.map { $0 >= 0 }
      // Handed on, not copied: a backward rule may then write over the gradient (linearReLU's mask).
      let inputGradients = node.primitive.backward(consume gradient, needed: needed)
      for (slot, input) in node.inputs.enumerated() where input >= 0 {
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
}
