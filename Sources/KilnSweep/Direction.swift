/// Whether a study looks for the smallest or the largest objective value.
public enum Direction: String, Codable, Hashable, Sendable {
  case minimize
  case maximize

  /// Whether `candidate` is strictly better than `reference` in this direction.
  public func isBetter(_ candidate: Double, than reference: Double) -> Bool {
    self == .minimize ? candidate < reference : candidate > reference
  }

  /// `value` mapped so that smaller is better (negated when maximising).
  public func lossOriented(_ value: Double) -> Double {
    self == .minimize ? value : -value
  }
}
