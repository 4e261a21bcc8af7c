import KilnMetricDirection
import Foundation

/// The data of an optimisation-history plot: each trial's value and the best value so far.
public struct OptimizationHistory: Codable, Hashable, Sendable {
  public struct Point: Codable, Hashable, Sendable {
    public let number: Int
    public let state: TrialState
    /// The trial's value (complete trials; the last reported value of pruned ones).
    public let value: Double?
    /// The best complete value among trials up to this one, by number.
    public let bestValue: Double?
  }

  public let direction: MetricDirection
  public let points: [Point]

  /// The history of `trials` (any order), by trial number.
  public init(trials: [TrialRecord], direction: MetricDirection) {
    self.direction = direction
    var best: Double?
    points = trials.sorted { $0.number < $1.number }.map { trial in
      if trial.state == .complete, let value = trial.value,
         best.map({ direction.isBetter(value, than: $0) }) ?? true {
        best = value
      }
      return Point(number: trial.number, state: trial.state, value: trial.value, bestValue: best)
    }
  }
}

/// The data of a parallel-coordinates plot: one axis per parameter plus the objective, and one
/// line per complete trial with its position on each axis scaled to [0, 1].
///
/// Numeric axes are scaled in the search coordinate (so logarithmic parameters are spread by
/// their logarithm) between the distribution's bounds; categorical axes place choice i of k at
/// i/(k − 1) and carry the choices as labels; the objective axis spans the observed values.
public struct ParallelCoordinates: Codable, Hashable, Sendable {
  public struct Axis: Codable, Hashable, Sendable {
    public let name: String
    public let scale: Scale
    /// The axis's ends, in parameter values (for categoricals, 0 and k − 1).
    public let low: Double
    public let high: Double
    /// The choices of a categorical axis, in order; `nil` for numeric axes.
    public let labels: [String]?
  }

  public struct Line: Codable, Hashable, Sendable {
    public let number: Int
    public let value: Double
    /// Per parameter axis, the position in [0, 1], or `nil` if the trial lacks the parameter.
    public let positions: [Double?]
    /// The value's position on the objective axis, in [0, 1].
    public let valuePosition: Double
  }

  public let axes: [Axis]
  public let objective: Axis
  public let lines: [Line]

  /// The plot of the complete trials among `trials`; parameters are ordered by name.
  public init(trials: [TrialRecord]) {
    let complete = trials.filter { $0.state == .complete && $0.value != nil }.sorted { $0.number < $1.number }
    var distributions: [String: ParameterDistribution] = [:]
    for trial in complete { distributions.merge(trial.distributions) { first, _ in first } }
    let names = distributions.keys.sorted()
    axes = names.map { ParallelCoordinates.axis($0, distributions[$0]!) }
    let values = complete.map { $0.value! }
    let low = values.min() ?? 0, high = values.max() ?? 0
    objective = Axis(name: "objective", scale: .linear, low: low, high: high, labels: nil)
    lines = complete.map { trial in
      let positions = names.map { name -> Double? in
        guard let distribution = trial.distributions[name], distribution == distributions[name],
              let value = trial.parameters[name],
              let coordinate = distribution.searchCoordinate(of: value) else { return nil }
        return ParallelCoordinates.fraction(coordinate, distribution)
      }
      let valuePosition = high > low ? (trial.value! - low) / (high - low) : 0.5
      return Line(number: trial.number, value: trial.value!, positions: positions, valuePosition: valuePosition)
    }
  }

  static func axis(_ name: String, _ distribution: ParameterDistribution) -> Axis {
    switch distribution {
    case .float(let low, let high, let scale, _):
      return Axis(name: name, scale: scale, low: low, high: high, labels: nil)
    case .integer(let low, let high, let scale, _):
      return Axis(name: name, scale: scale, low: Double(low), high: Double(high), labels: nil)
    case .categorical(let choices):
      return Axis(name: name, scale: .linear, low: 0, high: Double(choices.count - 1),
                  labels: choices.map(\.description))
    }
  }

  static func fraction(_ coordinate: Double, _ distribution: ParameterDistribution) -> Double {
    let low: Double, high: Double
    switch distribution {
    case .float(let lowValue, let highValue, let scale, _):
      (low, high) = scale == .logarithmic ? (log(lowValue), log(highValue)) : (lowValue, highValue)
    case .integer(let lowValue, let highValue, let scale, _):
      (low, high) = scale == .logarithmic ? (log(Double(lowValue)), log(Double(highValue)))
        : (Double(lowValue), Double(highValue))
    case .categorical(let choices):
      (low, high) = (0, Double(choices.count - 1))
    }
    return high > low ? min(max((coordinate - low) / (high - low), 0), 1) : 0.5
  }
}

extension Study {
  /// Each trial's value and the best so far, for an optimisation-history plot.
  public func optimizationHistory() throws -> OptimizationHistory {
    OptimizationHistory(trials: try trials(), direction: direction)
  }

  /// The complete trials as lines over parameter axes, for a parallel-coordinates plot.
  public func parallelCoordinates() throws -> ParallelCoordinates {
    ParallelCoordinates(trials: try trials())
  }

  /// The importance of each parameter (see `ParameterImportance`), most important first.
  public func parameterImportance(binCount: Int = 10) throws -> [ParameterImportance] {
    ParameterImportance.evaluate(try trials(), binCount: binCount)
  }
}
