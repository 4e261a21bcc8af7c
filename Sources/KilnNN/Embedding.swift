import KilnAutograd
import KilnTensor
import KilnRandom
/// A lookup table mapping integer ids to learned vectors: row i of `weight` [count, dimension].
/// Its gradient adds each output row's gradient into the row it was read from.
public struct Embedding: Module {
  public var weight: Variable

  /// A table with N(0, 1) entries drawn from `generator`.
  public init(count: Int, dimension: Int, generator: inout SeededGenerator) {
    precondition(count > 0 && dimension > 0,
                 "Embedding: count \(count) and dimension \(dimension) must be positive")
    weight = Variable(Tensor.randomNormal(shape: [count, dimension], using: &generator))
  }

  /// The rows for `indices`, shape [indices.count, dimension].
  public func callAsFunction(_ indices: [Int]) -> Variable { weight.gatheringRows(indices) }

  public mutating func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void) {
    visit(prefix + "weight", &weight)
  }
}
