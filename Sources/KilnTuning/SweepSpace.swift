import Foundation
import KilnSweep
import KilnConfiguration
import KilnTraining

/// A sweep's search space from an experiment's `sweep:` block: one dimension per dotted
/// configuration key, asked of a trial in sorted key order and applied as `--set KEY=VALUE`.
public struct SweepSpace: Sendable, Equatable {
  public struct Dimension: Sendable, Equatable {
    /// The dotted configuration key, e.g. `training.optimizer.lr`.
    public let key: String
    public let distribution: ParameterDistribution
  }

  public let dimensions: [Dimension]

  /// - Throws: `SweepError` naming the key whose distribution is not exactly one of uniform,
  ///   loguniform, int or choice with valid bounds.
  public init(_ space: [String: SearchDistribution]) throws {
    dimensions = try space.keys.sorted().map { key in
      Dimension(key: key, distribution: try SweepSpace.distribution(space[key]!, key: key))
    }
  }

  public init(dimensions: [Dimension]) {
    self.dimensions = dimensions
  }

  /// Asks `trial` for every dimension and returns the values by key.
  public func suggest(_ trial: Trial) -> [String: ParameterValue] {
    var values: [String: ParameterValue] = [:]
    for dimension in dimensions {
      switch dimension.distribution {
      case .float(let low, let high, let scale, let step):
        values[dimension.key] = .float(trial.suggestFloat(dimension.key, in: low...high, scale: scale, step: step))
      case .integer(let low, let high, let scale, let step):
        values[dimension.key] = .integer(trial.suggestInt(dimension.key, in: low...high, step: step, scale: scale))
      case .categorical(let choices):
        let names = choices.map(\.description)
        values[dimension.key] = .string(trial.suggestCategorical(dimension.key, names))
      }
    }
    return values
  }

  /// The `--set` overrides for `values`, in key order.
  public static func overrides(_ values: [String: ParameterValue]) -> [String] {
    values.keys.sorted().map { key in "\(key)=\(yamlText(values[key]!))" }
  }

  /// A value as YAML text that reads back as the same value: floats always carry a decimal point
  /// and a signed exponent (`1.0e-05`), so YAML 1.1 resolvers read them as floats.
  static func yamlText(_ value: ParameterValue) -> String {
    guard case .float(let number) = value, number.isFinite else { return value.description }
    var text = "\(number)"
    if let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      var mantissa = String(text[..<exponent])
      var power = String(text[text.index(after: exponent)...])
      if !mantissa.contains(".") { mantissa += ".0" }
      if !power.hasPrefix("-") && !power.hasPrefix("+") { power = "+" + power }
      text = mantissa + "e" + power
    } else if !text.contains(".") {
      text += ".0"
    }
    return text
  }

  /// The grid of a grid sweep: every integer of an int range, every choice; a float range is
  /// not a grid.
  public func gridValues() throws -> [String: [ParameterValue]] {
    var grid: [String: [ParameterValue]] = [:]
    for dimension in dimensions {
      switch dimension.distribution {
      case .integer(let low, let high, _, let step):
        grid[dimension.key] = stride(from: low, through: high, by: step).map { .integer($0) }
      case .categorical(let choices):
        grid[dimension.key] = choices
      case .float:
        throw SweepError("the grid sampler cannot enumerate the continuous range of \(dimension.key)",
                         hint: "write `\(dimension.key): {choice: [...]}` with the values to try, or use sampler: tpe")
      }
    }
    return grid
  }

  static func distribution(_ search: SearchDistribution, key: String) throws -> ParameterDistribution {
    let given = [search.uniform != nil, search.loguniform != nil, search.int != nil, search.choice != nil].filter { $0 }.count
    guard given == 1 else {
      throw SweepError("sweep.space.\(key) must give exactly one of uniform, loguniform, int or choice",
                       hint: "e.g. `\(key): {loguniform: [1.0e-4, 1.0e-1]}`")
    }
    func bounds<T: Comparable>(_ values: [T], _ name: String) throws -> (T, T) {
      guard values.count == 2, values[0] <= values[1] else {
        throw SweepError("sweep.space.\(key).\(name) needs [low, high] with low ≤ high",
                         hint: "e.g. `\(key): {\(name): [low, high]}`")
      }
      return (values[0], values[1])
    }
    if let values = search.uniform {
      let (low, high) = try bounds(values, "uniform")
      return .float(low: low, high: high, scale: .linear, step: nil)
    }
    if let values = search.loguniform {
      let (low, high) = try bounds(values, "loguniform")
      guard low > 0 else {
        throw SweepError("sweep.space.\(key).loguniform needs a positive lower bound, not \(low)",
                         hint: "use uniform for ranges that include zero")
      }
      return .float(low: low, high: high, scale: .logarithmic, step: nil)
    }
    if let values = search.int {
      let (low, high) = try bounds(values, "int")
      return .integer(low: low, high: high, scale: .linear, step: 1)
    }
    let choices = search.choice!
    guard !choices.isEmpty, Set(choices).count == choices.count else {
      throw SweepError("sweep.space.\(key).choice needs at least one value and no repeats",
                       hint: "e.g. `\(key): {choice: [relu, gelu]}`")
    }
    return .categorical(choices.map { .string($0) })
  }
}
