import KilnAutograd
import KilnTensor
import KilnRandom

/// Where a dropout layer's masks come from: a counter-based key (`RandomStream.dropout` of the
/// run's seed) and the position of the rows being masked. Shared by reference, so the training
/// loop can set the position through an immutable model value; copies of a model share it.
public final class DropoutMasks {
  public let generator: CounterGenerator
  /// The epoch and the global index of each input row (the dataset row), for the next forward
  /// passes. Nil outside a training loop: then each call draws from a call counter in place of
  /// the epoch and masks rows by their position, so successive calls still differ.
  public var position: (epoch: Int, rows: [Int])?
  private var unpositionedCalls = 0

  public init(seed: UInt64) { generator = CounterGenerator(seed: seed, stream: .dropout) }

  /// The epoch and row numbers of the next call.
  func rowsOfNextCall(rowCount: Int) -> (epoch: UInt64, rows: [Int]?) {
    if let position {
      precondition(position.rows.count == rowCount,
                   "Dropout: the position names \(position.rows.count) rows, the input has \(rowCount)")
      return (UInt64(position.epoch), position.rows)
    }
    unpositionedCalls += 1
    return (UInt64.max - UInt64(unpositionedCalls - 1), nil)
  }
}

/// Inverted dropout (Srivastava et al. 2014, JMLR 15): in training each scalar is zeroed with
/// probability p and survivors are scaled by 1/(1 − p); in evaluation it is the identity.
///
/// The mask of unit u of row r in layer l is a pure function of (seed, epoch, r, l, u): the
/// `CounterGenerator` sequence of sub-key (epoch, r, l) gives one 64-bit draw per pair of units,
/// whose bits 40–63 decide the even unit and bits 16–39 the odd one (kept when below (1 − p)·2²⁴).
/// So a data-parallel run masks every row as one process would, at any world size.
public struct Dropout: Layer {
  public let probability: Float
  public var isTraining = true
  public let masks: DropoutMasks

  /// A dropout layer whose masks are keyed by `seed` (the run's seed).
  public init(probability: Float, seed: UInt64) {
    precondition(probability >= 0 && probability < 1,
                 "Dropout: probability \(probability) must be in [0, 1)")
    self.probability = probability
    masks = DropoutMasks(seed: seed)
  }

  public func callAsFunction(_ input: Variable) -> Variable { callAsFunction(input, layer: 0) }

  /// Dropout after hidden layer `layer` (a model applying one `Dropout` at several depths numbers them).
  public func callAsFunction(_ input: Variable, layer: Int) -> Variable {
    guard isTraining && probability > 0 else { return input }
    let shape = input.shape
    let rowCount = shape.count > 1 ? shape[0] : 1
    let units = rowCount == 0 ? 0 : input.value.scalarCount / rowCount
    let (epoch, rows) = masks.rowsOfNextCall(rowCount: rowCount)
    let keep = 1 - probability, scale = 1 / keep
    // A 24-bit draw d keeps its unit when d / 2²⁴ < keep, i.e. when d < ⌈keep · 2²⁴⌉.
    let threshold = UInt64((Double(keep) * 16_777_216).rounded(.up))
    let generator = masks.generator
    // Branch-free: d − threshold wraps to a word with its top bit set exactly when d < threshold,
    // which selects all bits of `scale` (a kept unit) or none (+0). A branch per unit would be
    // mispredicted at every random drop.
    let scaleBits = scale.bitPattern
    @inline(__always) func masked(_ draw: UInt64) -> Float {
      Float(bitPattern: scaleBits & UInt32(truncatingIfNeeded: 0 &- ((draw &- threshold) >> 63)))
    }
    let mask = Tensor.make(shape: shape) { out in
      for row in 0..<rowCount {
        let subkey = generator.subkey(epoch, UInt64(rows?[row] ?? row), UInt64(layer))
        let base = row * units
        var unit = 0, draw: UInt64 = 0
        while unit &+ 1 < units {
          let bits = CounterGenerator.bits(subkey: subkey, index: draw)
          out[base &+ unit] = masked(bits >> 40)
          out[base &+ unit &+ 1] = masked((bits >> 16) & 0xFF_FFFF)
          unit &+= 2
          draw &+= 1
        }
        if unit < units { out[base &+ unit] = masked(CounterGenerator.bits(subkey: subkey, index: draw) >> 40) }
      }
    }
    return input * mask
  }

  public func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void) {}

  public mutating func setTraining(_ isTraining: Bool) { self.isTraining = isTraining }
}
