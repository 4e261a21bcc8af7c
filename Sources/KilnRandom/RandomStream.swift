/// Every purpose that draws random numbers from a seed, each on its own stream: the one place that
/// maps a purpose to the stream number `SeededGenerator(seed:stream:)` mixes into the seed.
///
/// A stream number is `purpose << 56 | index`: the top byte names the purpose and the low 56 bits
/// the instance (an epoch, a label stratum, a trial). Two different purposes therefore never share
/// a stream, and within a purpose distinct indices give distinct streams (for named purposes the
/// index holds 56 bits of the name's `stableHash`, so distinct names differ unless their hashes do).
/// For one seed, distinct stream numbers give distinct generator states: the state is SplitMix64
/// of `seed ⊕ stream·0xD1B54A32D192ED03`, a bijection of the stream number.
///
/// | purpose | index | who draws |
/// |---|---|---|
/// | `datasetSplit(stratum:)` (0) | the label code | the stratified split at import |
/// | `parameterInitialization` (1) | 0 | the model's initial weights |
/// | `shuffle(epoch:)` (2) | the epoch | the epoch's row order (every rank) |
/// | `dropout` (3) | 0 | the key of the counter-based dropout masks |
/// | `bootstrap` (4) | 0 | confidence intervals of evaluation, monitoring, comparison, gates |
/// | `robustness(name:)` (5) | hash of the perturbation or attack | robustness noise |
/// | `sweep(trial:label:)` (6) | hash of the label (36 bits) · trial (20 bits) | sweep samplers |
/// | `syntheticData(_:)` (7) | the task | generated test datasets |
/// | `gradientCheck` (8) | 0 | the gradient checker's projection |
/// | `decisionMixing` (9) | 0 | the key of the counter-based draws that pick, per row, between a mitigated model's randomised decisions |
public enum RandomStream: Hashable, Sendable {
  /// The generated datasets (`SyntheticTask`).
  public enum SyntheticData: UInt64, Sendable, CaseIterable {
    case moons = 0, blobs = 1, regression = 2
  }

  case datasetSplit(stratum: Int32)
  case parameterInitialization
  case shuffle(epoch: Int)
  case dropout
  case bootstrap
  case robustness(name: String)
  case sweep(trial: Int, label: String)
  case syntheticData(SyntheticData)
  case gradientCheck
  /// A mitigated model's randomised decisions (one of a group's two thresholds, one model of a
  /// mixture): a `CounterGenerator` key, so a row's draw depends on the seed and the row alone.
  case decisionMixing

  /// Indices use the low 56 bits; the top byte is the purpose.
  static let indexBits: UInt64 = 56
  static let indexMask: UInt64 = (1 << 56) - 1
  /// Trials of a sweep use the low 20 bits of the index (about a million trials).
  public static let maximumSweepTrials = 1 << 20

  /// The number `SeededGenerator` mixes into the seed.
  public var number: UInt64 {
    switch self {
    case .datasetSplit(let stratum): return Self.compose(0, UInt64(UInt32(bitPattern: stratum)))
    case .parameterInitialization: return Self.compose(1, 0)
    case .shuffle(let epoch):
      precondition(epoch >= 0, "RandomStream.shuffle: epoch \(epoch) must be ≥ 0")
      return Self.compose(2, UInt64(epoch) & Self.indexMask)
    case .dropout: return Self.compose(3, 0)
    case .bootstrap: return Self.compose(4, 0)
    case .robustness(let name): return Self.compose(5, SeededGenerator.stableHash(name) & Self.indexMask)
    case .sweep(let trial, let label):
      precondition((0..<Self.maximumSweepTrials).contains(trial),
                   "RandomStream.sweep: trial \(trial) is outside 0..<\(Self.maximumSweepTrials)")
      let labelBits = SeededGenerator.stableHash(label) & ((1 << 36) - 1)
      return Self.compose(6, labelBits << 20 | UInt64(trial))
    case .syntheticData(let task): return Self.compose(7, task.rawValue)
    case .gradientCheck: return Self.compose(8, 0)
    case .decisionMixing: return Self.compose(9, 0)
    }
  }

  static func compose(_ purpose: UInt64, _ index: UInt64) -> UInt64 { purpose << indexBits | index }
}

extension SeededGenerator {
  /// The generator for `stream`'s purpose under `seed` (see `RandomStream`).
  public init(seed: UInt64, stream: RandomStream) {
    self.init(seed: seed, stream: stream.number)
  }
}
