import KilnMetrics
import KilnConfiguration

extension EvaluationConfiguration {
  /// How a binary model's score becomes its prediction: `threshold` (default 0.5), or the
  /// threshold `threshold_selection` chooses on the validation split.
  public var decisionThreshold: DecisionThreshold {
    switch thresholdSelection ?? .fixed {
    case .fixed: return .fixed(threshold ?? 0.5)
    case .f1: return .chosenOnValidation(.f1)
    case .youdenJ: return .chosenOnValidation(.youdenJ)
    }
  }
}
