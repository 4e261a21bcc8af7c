/// A metric a `MetricFrame` computes over all rows and in every group, as fairlearn's
/// `MetricFrame` takes one: a function of the rows' labels, predictions and weights to a number.
///
/// Weights are multiplicities: 1 for a row of the data, its count in a bootstrap resample, 0 for a
/// row the jackknife leaves out. A group with no weight gets NaN without a call. The built-in
/// multi-class and regression metrics are computed from sufficient statistics (a weighted
/// confusion matrix, regression sums), so a frame computes them for every group in one pass and
/// the jackknife updates them rather than recomputing; binary audits keep their own fast path,
/// the confusion counts (`MetricFrame(labels:predictions:scores:grouping:)`).
public struct Metric: Sendable {
  /// `(labels, predictions, weights) → value`, the three arrays of equal length.
  public typealias Function = @Sendable (_ labels: [Double], _ predictions: [Double], _ weights: [Double]) -> Double

  /// The snake_case name reports and gates use (`macro_f1`, `mae`).
  public let name: String
  let evaluation: Evaluation

  enum Evaluation: Sendable {
    /// Called on each group's rows.
    case function(Function)
    /// From the weighted confusion matrix of class codes `0..<classCount`.
    case classMatrix(classCount: Int, value: @Sendable (WeightedConfusionMatrix) -> Double)
    /// From the group's regression sums (labels are targets), with why a value is undefined.
    case regressionSums(value: @Sendable (RegressionSums) -> Double, undefined: @Sendable (RegressionSums) -> UndefinedReason?)
  }

  /// A metric given as a function of a group's labels, predictions and weights.
  public init(_ name: String, _ function: @escaping Function) {
    self.init(name: name, evaluation: .function(function))
  }

  init(name: String, evaluation: Evaluation) {
    self.name = name
    self.evaluation = evaluation
  }

  /// The group metrics of a multi-class model over class codes `0..<classCount`: `accuracy`,
  /// `balanced_accuracy`, `macro_f1` (scikit-learn's conventions, see `WeightedConfusionMatrix`).
  public static func multiclass(classCount: Int) -> [Metric] {
    [Metric(name: "accuracy", evaluation: .classMatrix(classCount: classCount) { $0.accuracy }),
     Metric(name: "balanced_accuracy", evaluation: .classMatrix(classCount: classCount) { $0.balancedAccuracy }),
     Metric(name: "macro_f1", evaluation: .classMatrix(classCount: classCount) { $0.average(.f1, .macro) })]
  }

  /// The group metrics of a regression model: `mae`, `rmse`, `mse`, `r2` and `mean_prediction`
  /// (the mean prediction per group is the demographic-parity analogue for a regressor).
  public static let regression: [Metric] = [
    Metric(name: "mae", evaluation: .regressionSums(value: { $0.meanAbsoluteError }, undefined: { _ in nil })),
    Metric(name: "rmse", evaluation: .regressionSums(value: { $0.rootMeanSquaredError }, undefined: { _ in nil })),
    Metric(name: "mse", evaluation: .regressionSums(value: { $0.meanSquaredError }, undefined: { _ in nil })),
    Metric(name: "r2", evaluation: .regressionSums(value: { $0.rSquared }) { sums in
      if sums.weight < 2 { return sums.weight == 0 ? nil : .tooFewRows }
      return sums.targetSpread == 0 ? .constantTargets : nil
    }),
    Metric(name: "mean_prediction", evaluation: .regressionSums(value: { $0.meanPrediction }, undefined: { _ in nil })),
  ]
}

/// The rows a frame of `Metric`s measures, and the metrics' values on any weighted grouping of them.
struct MetricRows: Sendable {
  let metrics: [Metric]
  let labels: [Double]
  let predictions: [Double]

  /// `[metric][group]` for rows grouped by `codes` (nil: one group), each counted `weights[row]`
  /// times (once without weights); NaN for a group without weight.
  func values(codes: [Int32]?, groupCount: Int, weights: [Int32]?) -> [[Double]] {
    var matrices: [Int: [WeightedConfusionMatrix]] = [:]
    var sums: [RegressionSums]?
    var gathered: [(labels: [Double], predictions: [Double], weights: [Double])]?
    var totals = [Double](repeating: 0, count: groupCount)
    for row in labels.indices { totals[codes.map { Int($0[row]) } ?? 0] += weights.map { Double($0[row]) } ?? 1 }
    return metrics.map { metric in
      let values: [Double]
      switch metric.evaluation {
      case .classMatrix(let classCount, let value):
        let groupMatrices = matrices[classCount] ?? classMatrices(classCount, codes: codes, groupCount: groupCount, weights: weights)
        matrices[classCount] = groupMatrices
        values = groupMatrices.map(value)
      case .regressionSums(let value, _):
        let groupSums = sums ?? regressionSums(codes: codes, groupCount: groupCount, weights: weights)
        sums = groupSums
        values = groupSums.map(value)
      case .function(let function):
        let groups = gathered ?? gather(codes: codes, groupCount: groupCount, weights: weights)
        gathered = groups
        values = groups.map { function($0.labels, $0.predictions, $0.weights) }
      }
      return zip(values, totals).map { $1 == 0 ? .nan : $0 }
    }
  }

  /// Why each metric of each group is not a real measurement (`[metric][group]`): an empty group,
  /// or what the metric says of its statistics.
  func undefinedReasons(codes: [Int32]?, groupCount: Int) -> [[UndefinedReason?]] {
    let sums = regressionSums(codes: codes, groupCount: groupCount, weights: nil)
    return metrics.map { metric in
      (0..<groupCount).map { group -> UndefinedReason? in
        if sums[group].weight == 0 { return .emptyGroup }
        if case .regressionSums(_, let undefined) = metric.evaluation { return undefined(sums[group]) }
        return nil
      }
    }
  }

  func classMatrices(_ classCount: Int, codes: [Int32]?, groupCount: Int, weights: [Int32]?) -> [WeightedConfusionMatrix] {
    var matrices = [WeightedConfusionMatrix](repeating: WeightedConfusionMatrix(classCount: classCount), count: groupCount)
    for row in labels.indices {
      let weight = weights.map { Double($0[row]) } ?? 1
      if weight != 0 { matrices[codes.map { Int($0[row]) } ?? 0].add(label: Int(labels[row]), prediction: Int(predictions[row]), weight: weight) }
    }
    return matrices
  }

  func regressionSums(codes: [Int32]?, groupCount: Int, weights: [Int32]?) -> [RegressionSums] {
    RegressionSums.byGroup(targets: labels, predictions: predictions, codes: codes, groupCount: groupCount, weights: weights)
  }

  /// Each group's rows with a weight, for metrics given as functions.
  func gather(codes: [Int32]?, groupCount: Int, weights: [Int32]?) -> [(labels: [Double], predictions: [Double], weights: [Double])] {
    var groups = [(labels: [Double], predictions: [Double], weights: [Double])](repeating: ([], [], []), count: groupCount)
    for row in labels.indices {
      let weight = weights.map { Double($0[row]) } ?? 1
      guard weight != 0 else { continue }
      let group = codes.map { Int($0[row]) } ?? 0
      groups[group].labels.append(labels[row])
      groups[group].predictions.append(predictions[row])
      groups[group].weights.append(weight)
    }
    return groups
  }

  /// Whether every metric is computed from regression sums (so leaving a row out is an update).
  var isRegressionSums: Bool {
    metrics.allSatisfy { if case .regressionSums = $0.evaluation { return true } else { return false } }
  }
}
