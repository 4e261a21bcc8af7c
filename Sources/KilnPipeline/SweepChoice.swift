import KilnTracking

/// Which sweep trial configured the pipeline's training, and how it was chosen.
public struct SweepChoice: Sendable, Equatable {
  public enum Selection: String, Sendable {
    /// The best trial on the (first) objective.
    case best
    /// The best Pareto point that passes every gate on validation.
    case gateAware = "gate-aware"
  }

  /// A Pareto point passed over, with the gates it failed on validation.
  public struct Rejected: Sendable, Equatable {
    public var trial: Int
    public var failedGates: [String]
  }

  public var sweepRunID: String
  public var trial: Int
  public var selection: Selection
  /// Gate-aware only: the better points on the first objective that failed a gate, in order.
  public var rejected: [Rejected]

  /// `trial 9 of sweep 6baca0ae… (gate-aware: 2 better points failed a gate on validation)`.
  var text: String {
    let how = selection == .best ? "best on the objective"
      : "gate-aware: \(rejected.count) better point\(rejected.count == 1 ? "" : "s") failed a gate on validation"
    return "trial \(trial) of sweep \(sweepRunID) (\(how))"
  }

  /// The `sweep` object of `kiln pipeline --json`.
  var jsonValue: JSONValue {
    let passedOver: [JSONValue] = rejected.map { point in
      .object(["trial": .number(Double(point.trial)), "failed_gates": .array(point.failedGates.map(JSONValue.string))])
    }
    return .object(["run": .string(sweepRunID), "trial": .number(Double(trial)), "selection": .string(selection.rawValue),
                    "rejected": .array(passedOver)])
  }
}
