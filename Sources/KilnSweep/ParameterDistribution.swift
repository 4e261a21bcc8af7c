import Foundation

/// How a numeric parameter's range is searched.
public enum Scale: String, Codable, Hashable, Sendable {
  /// Uniform in the value itself.
  case linear
  /// Uniform in the logarithm of the value (for learning rates, regularisation strengths).
  case logarithmic
}

/// The space one parameter is drawn from.
///
/// Samplers work in a *search coordinate*: the value itself for linear scales, its natural
/// logarithm for logarithmic ones, and the choice index for categoricals. A discrete numeric
/// range (integers, or floats with a step) is widened by half a step at each end, so every grid
/// point owns a cell of equal width, and a sampled coordinate is snapped back to the grid.
public enum ParameterDistribution: Codable, Hashable, Sendable {
  case float(low: Double, high: Double, scale: Scale, step: Double?)
  case integer(low: Int, high: Int, scale: Scale, step: Int)
  case categorical([ParameterValue])

  /// Whether this is a categorical distribution.
  public var isCategorical: Bool {
    if case .categorical = self { return true }
    return false
  }

  /// The number of choices of a categorical distribution (0 for numeric ones).
  public var choiceCount: Int {
    if case .categorical(let choices) = self { return choices.count }
    return 0
  }

  /// The bounds of the search coordinate of a numeric distribution, widened by half a step
  /// for discrete ranges; for categoricals, (0, count − 1).
  public var searchBounds: (low: Double, high: Double) {
    switch self {
    case .float(let low, let high, let scale, let step):
      let half = (step ?? 0) / 2
      return scale == .logarithmic ? (log(low), log(high)) : (low - half, high + half)
    case .integer(let low, let high, let scale, let step):
      if scale == .logarithmic { return (log(Double(low) - 0.5), log(Double(high) + 0.5)) }
      let half = Double(step) / 2
      return (Double(low) - half, Double(high) + half)
    case .categorical(let choices):
      return (0, Double(choices.count - 1))
    }
  }

  /// The search coordinate of `value`, or `nil` if `value` is not in this distribution.
  public func searchCoordinate(of value: ParameterValue) -> Double? {
    guard contains(value) else { return nil }
    switch self {
    case .float(_, _, let scale, _), .integer(_, _, let scale, _):
      let number = value.numericValue!
      return scale == .logarithmic ? log(number) : number
    case .categorical(let choices):
      return Double(choices.firstIndex(of: value)!)
    }
  }

  /// The parameter value at a search coordinate: exponentiated for logarithmic scales, snapped
  /// to the step grid for discrete ranges and clamped into the range.
  public func value(atSearchCoordinate coordinate: Double) -> ParameterValue {
    switch self {
    case .float(let low, let high, let scale, let step):
      var number = scale == .logarithmic ? exp(coordinate) : coordinate
      if let step {
        let count = ((high - low) / step).rounded(.down)
        number = low + min(max(((number - low) / step).rounded(), 0), count) * step
      }
      return .float(min(max(number, low), high))
    case .integer(let low, let high, let scale, let step):
      let number = scale == .logarithmic ? exp(coordinate) : coordinate
      let index = ((number - Double(low)) / Double(step)).rounded()
      let lastIndex = Double((high - low) / step)
      return .integer(low + Int(min(max(index, 0), lastIndex)) * step)
    case .categorical(let choices):
      let index = Int(coordinate.rounded())
      return choices[min(max(index, 0), choices.count - 1)]
    }
  }

  /// Whether `value` is a possible value of this distribution (on the step grid, if any).
  public func contains(_ value: ParameterValue) -> Bool {
    switch self {
    case .float(let low, let high, _, let step):
      guard case .float(let number) = value, number >= low, number <= high else { return false }
      guard let step else { return true }
      let offset = (number - low) / step
      return abs(offset - offset.rounded()) < 1e-8
    case .integer(let low, let high, _, let step):
      guard case .integer(let number) = value else { return false }
      return number >= low && number <= high && (number - low) % step == 0
    case .categorical(let choices):
      return choices.contains(value)
    }
  }

  /// Converts a value given for this distribution (by a grid or an enqueued trial) to its
  /// stored type: an integer for a float distribution becomes a float, and a whole float for an
  /// integer distribution becomes an integer.
  public func coerced(_ value: ParameterValue) -> ParameterValue {
    switch (self, value) {
    case (.float, .integer(let number)): return .float(Double(number))
    case (.integer, .float(let number)) where number == number.rounded(): return .integer(Int(number))
    default: return value
    }
  }

  /// Checks the arguments of a numeric distribution; a bad range is a programmer mistake.
  func validate(name: String) {
    switch self {
    case .float(let low, let high, let scale, let step):
      precondition(low <= high, "suggestFloat(\(name)): low \(low) is above high \(high)")
      precondition(scale == .linear || low > 0,
                   "suggestFloat(\(name)): a logarithmic range needs low > 0, got \(low)")
      precondition(step == nil || scale == .linear,
                   "suggestFloat(\(name)): a step needs a linear scale")
      precondition(step.map { $0 > 0 } ?? true, "suggestFloat(\(name)): step \(step ?? 0) must be positive")
    case .integer(let low, let high, let scale, let step):
      precondition(low <= high, "suggestInt(\(name)): low \(low) is above high \(high)")
      precondition(step > 0, "suggestInt(\(name)): step \(step) must be positive")
      precondition(scale == .linear || (low > 0 && step == 1),
                   "suggestInt(\(name)): a logarithmic range needs low > 0 and step 1, got low \(low), step \(step)")
    case .categorical(let choices):
      precondition(!choices.isEmpty, "suggestCategorical(\(name)): no choices given")
    }
  }
}
