import KilnOutput
import KilnRandom
/// Builds a `FairnessReport` from labels, predictions and sensitive attributes: binary predictions
/// (with optional scores) through the confusion-count fast path, any metric functions otherwise.
public enum FairnessAudit {
  /// What to compute.
  public struct Configuration: Codable, Sendable, Equatable {
    /// Intersections to audit besides each attribute alone, each a list of attribute names.
    public var intersections: [[String]]
    /// Groups smaller than this are reported as insufficient data and left out of disparities
    /// (default 1: every non-empty group takes part, as in fairlearn).
    public var minimumGroupSize: Int
    /// Equal-width bins for calibration error (default 10).
    public var calibrationBins: Int
    /// The bootstrap for confidence intervals; nil for none.
    public var bootstrap: BootstrapConfiguration?

    public init(intersections: [[String]] = [], minimumGroupSize: Int = 1, calibrationBins: Int = 10,
                bootstrap: BootstrapConfiguration? = BootstrapConfiguration()) {
      self.intersections = intersections
      self.minimumGroupSize = minimumGroupSize
      self.calibrationBins = calibrationBins
      self.bootstrap = bootstrap
    }

    enum CodingKeys: String, CodingKey {
      case intersections, bootstrap
      case minimumGroupSize = "minimum_group_size", calibrationBins = "calibration_bins"
    }
  }

  /// Audits the predictions.
  /// - Parameters:
  ///   - labels: true labels in {0, 1}.
  ///   - predictions: predicted labels in {0, 1}.
  ///   - scores: optional probabilities of label 1 in [0, 1] (for ROC AUC and calibration error).
  ///   - attributes: the sensitive attributes, each with one value per row.
  ///   - configuration: intersections, minimum group size, bins and bootstrap.
  ///   - generator: the source of the bootstrap's randomness (four words are drawn from it).
  /// - Throws: `FairnessConfigurationError` when no attribute is given or an intersection names
  ///   an unknown attribute.
  public static func report<Generator: RandomNumberGenerator>(
    labels: [Int], predictions: [Int], scores: [Double]? = nil, attributes: [SensitiveAttribute],
    configuration: Configuration = Configuration(), using generator: inout Generator
  ) throws -> FairnessReport {
    precondition(labels.count == predictions.count, "FairnessAudit: \(labels.count) labels but \(predictions.count) predictions")
    precondition(scores == nil || scores!.count == labels.count, "FairnessAudit: \(labels.count) labels but \(scores!.count) scores")
    precondition(attributes.allSatisfy { $0.values.count == labels.count },
                 "FairnessAudit: attribute lengths \(attributes.map { $0.values.count }) differ from \(labels.count) labels")
    let singles = attributes.map(Grouping.init)
    let groupings = singles + (try intersections(configuration.intersections, of: singles))
    let ranking = scores.map { ScoreRanking(labels: labels, scores: $0) }
    let frames = groupings.map {
      MetricFrame(labels: labels, predictions: predictions, scores: scores, grouping: $0,
                  minimumGroupSize: configuration.minimumGroupSize, calibrationBins: configuration.calibrationBins, ranking: ranking)
    }
    var intervals: BootstrapIntervals?
    if let bootstrap = configuration.bootstrap {
      var resampler = SeededGenerator(seededFrom: &generator)
      intervals = BootstrapIntervals(labels: labels, predictions: predictions, ranking: ranking,
                                     calibrationBins: configuration.calibrationBins, singles: singles, frames: frames,
                                     configuration: bootstrap, generator: &resampler)
    }
    let sections = frames.indices.map { FairnessSection(frame: frames[$0], intervals: intervals?.frameIntervals($0)) }
    return FairnessReport(kind: "binary", metrics: frames.first?.metricNames ?? [], rowCount: labels.count,
                          minimumGroupSize: configuration.minimumGroupSize, calibrationBins: configuration.calibrationBins,
                          bootstrap: configuration.bootstrap, sections: sections)
  }

  /// Audits any metrics, given as functions of (labels, predictions, weights): the same report
  /// for every label kind, each metric overall and by group with its differences and ratios.
  ///
  /// Intervals come from a seeded percentile bootstrap over rows stratified by the finest cell of
  /// all sensitive attributes — crossed with the true class when `classCount` is given — so every
  /// group, and its class mix, keeps its size in each resample; every per-group value, difference
  /// and ratio is recomputed from the same resample. Per-group values get percentile intervals,
  /// disparities BCa intervals with the acceleration from an exact jackknife.
  /// - Parameters:
  ///   - metrics: the metrics (`Metric.multiclass(classCount:)`, `Metric.regression`, or your own).
  ///   - labels: true labels: class codes, or targets.
  ///   - predictions: predicted class codes, or values.
  ///   - kind: what the report says it audits (`binary`, `multiclass`, `regression`).
  ///   - classCount: stratify resamples by the true class codes `0..<classCount`; nil for targets.
  ///   - configuration: intersections, minimum group size and bootstrap (`calibrationBins` unused).
  ///   - generator: the source of the bootstrap's randomness (four words are drawn from it).
  /// - Throws: `FairnessConfigurationError` when no attribute is given or an intersection is invalid.
  public static func report<Generator: RandomNumberGenerator>(
    metrics: [Metric], labels: [Double], predictions: [Double], kind: String, classCount: Int? = nil,
    attributes: [SensitiveAttribute], configuration: Configuration = Configuration(), using generator: inout Generator
  ) throws -> FairnessReport {
    precondition(labels.count == predictions.count, "FairnessAudit: \(labels.count) labels but \(predictions.count) predictions")
    precondition(attributes.allSatisfy { $0.values.count == labels.count },
                 "FairnessAudit: attribute lengths \(attributes.map { $0.values.count }) differ from \(labels.count) labels")
    precondition(configuration.minimumGroupSize >= 0,
                 "FairnessAudit: minimumGroupSize is \(configuration.minimumGroupSize); it must be at least 0")
    if let classCount {
      precondition(labels.allSatisfy { $0 >= 0 && $0 < Double(classCount) && $0.rounded() == $0 },
                   "FairnessAudit: labels must be class codes in 0..<\(classCount)")
    }
    let singles = attributes.map(Grouping.init)
    let groupings = singles + (try intersections(configuration.intersections, of: singles))
    let frames = groupings.map {
      MetricFrame(metrics: metrics, labels: labels, predictions: predictions, grouping: $0, minimumGroupSize: configuration.minimumGroupSize)
    }
    var intervals: [FrameIntervals]?
    if let bootstrap = configuration.bootstrap {
      var resampler = SeededGenerator(seededFrom: &generator)
      intervals = MetricFrame.bootstrapIntervals(frames, rows: MetricRows(metrics: metrics, labels: labels, predictions: predictions),
                                                 singles: singles, classCount: classCount, configuration: bootstrap, generator: &resampler)
    }
    let sections = frames.indices.map { FairnessSection(frame: frames[$0], intervals: intervals?[$0]) }
    return FairnessReport(kind: kind, metrics: metrics.map(\.name), rowCount: labels.count, minimumGroupSize: configuration.minimumGroupSize,
                          calibrationBins: nil, bootstrap: configuration.bootstrap, sections: sections)
  }

  /// Audits a multi-class model's predicted classes by group: `accuracy`, `balanced_accuracy`,
  /// `macro_f1`, resamples stratified by true class.
  public static func multiclass<Generator: RandomNumberGenerator>(
    labels: [Int], predicted: [Int], classCount: Int, attributes: [SensitiveAttribute],
    configuration: Configuration = Configuration(), using generator: inout Generator
  ) throws -> FairnessReport {
    _ = MulticlassMetrics.matrix(labels, predicted, classCount, "FairnessAudit.multiclass")
    return try report(metrics: Metric.multiclass(classCount: classCount), labels: labels.map(Double.init), predictions: predicted.map(Double.init),
                      kind: "multiclass", classCount: classCount, attributes: attributes, configuration: configuration, using: &generator)
  }

  /// Audits a regression model's predictions by group: `mae`, `rmse`, `mse`, `r2`, `mean_prediction`.
  public static func regression<Generator: RandomNumberGenerator>(
    targets: [Double], predictions: [Double], attributes: [SensitiveAttribute],
    configuration: Configuration = Configuration(), using generator: inout Generator
  ) throws -> FairnessReport {
    RegressionMetrics.check(targets, predictions, "FairnessAudit.regression")
    return try report(metrics: Metric.regression, labels: targets, predictions: predictions, kind: "regression",
                      attributes: attributes, configuration: configuration, using: &generator)
  }

  static func intersections(_ declared: [[String]], of singles: [Grouping]) throws -> [Grouping] {
    guard !singles.isEmpty else {
      throw FairnessConfigurationError(message: "no sensitive attribute was given", hint: "name at least one sensitive attribute")
    }
    return try declared.map { names in
      guard names.count >= 2 else {
        throw FairnessConfigurationError(message: "intersection \(names) names \(names.count) attribute(s); it needs at least two",
                                         hint: "list two or more attributes, e.g. [sex, race]")
      }
      let parts = try names.map { name in
        guard let part = singles.first(where: { $0.name == name }) else {
          throw FairnessConfigurationError(message: "intersection \(names) names unknown attribute \"\(name)\"",
                                           hint: "use one of: \(singles.map(\.name).joined(separator: ", "))")
        }
        return part
      }
      return Grouping(intersecting: parts)
    }
  }
}

/// A fairness audit asked for something the data cannot give.
public struct FairnessConfigurationError: KilnError, Equatable {
  /// What is wrong.
  public var message: String
  /// What to do about it.
  public var hint: String?
}
