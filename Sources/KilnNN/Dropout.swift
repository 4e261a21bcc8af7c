import KilnAutograd
import KilnTensor
import KilnRandom
/// A generator shared by reference, so that a layer called through an immutable model value can
/// still draw fresh masks. Copies of a model share it; calls happen in program order, so a seed still
/// fixes every mask.
public final class RandomSource {
  public var generator: SeededGenerator
  public init(_ generator: SeededGenerator) { self.generator = generator }
}

/// Inverted dropout (Srivastava et al. 2014, JMLR 15): in training each scalar is zeroed with
/// probability p and survivors are scaled by 1/(1 − p); in evaluation it is the identity.
public struct Dropout: Layer {
  public let probability: Float
  public var isTraining = true
  /// Where masks come from (seeded from the generator given at construction).
  public let source: RandomSource

  /// A dropout layer whose masks come from a stream split off `generator`.
  public init(probability: Float, generator: inout SeededGenerator) {
    precondition(probability >= 0 && probability < 1,
                 "Dropout: probability \(probability) must be in [0, 1)")
    self.probability = probability
    source = RandomSource(SeededGenerator(seed: generator.next(), stream: 1))
  }

  public func callAsFunction(_ input: Variable) -> Variable {
    guard isTraining && probability > 0 else { return input }
    let keep = 1 - probability, scale = 1 / keep
    let mask = Tensor.make(shape: input.shape) { out in
      for index in out.indices { out[index] = source.generator.nextFloat() < keep ? scale : 0 }
    }
    return input * mask
  }

  public func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void) {}

  public mutating func setTraining(_ isTraining: Bool) { self.isTraining = isTraining }
}
