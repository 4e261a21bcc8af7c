import KilnRandom
extension SeededGenerator {
  /// The generator a sampler uses for one purpose (`label`, usually a parameter name) in one
  /// trial: its stream is the trial number and its seed mixes the study seed with a stable
  /// hash of the label (`stableHash`, FNV-1a), so a trial's draws depend only on
  /// (seed, trial number, label).
  public init(seed: UInt64, trialNumber: Int, label: String) {
    self.init(seed: seed ^ SeededGenerator.stableHash(label), stream: UInt64(trialNumber))
  }
}
