import KilnRandom
/// The performance of a multi-class classifier on one split, from its class probabilities:
/// accuracy, balanced accuracy, F1 (macro, weighted, micro), macro precision and recall, log loss
/// and macro one-vs-rest ROC AUC, each with a percentile-bootstrap interval stratified by true
/// class (every class keeps its support in each resample); the confusion matrix; and precision,
/// recall and F1 per class. Metric names are those gates address as `test.macro_f1`.
public struct MulticlassClassificationReport: Codable, Sendable, Equatable {
  /// Class names, index = class code.
  public var classNames: [String]
  /// `confusionMatrix[trueClass][predictedClass]`.
  public var confusionMatrix: [[Int]]
  /// Every overall metric by name.
  public var metrics: [String: MetricEstimate]
  /// Per class: `precision`, `recall`, `f1`, `support`, keyed by class name.
  public var perClass: [String: [String: MetricEstimate]]

  /// The overall metrics, in report order.
  public static let metricNames = ["accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "micro_f1",
                                   "macro_precision", "macro_recall", "log_loss", "roc_auc_ovr"]

  /// - Parameters:
  ///   - labels: true class codes in `0..<classNames.count`.
  ///   - classProbabilities: one probability row per label (the predicted class is its argmax).
  ///   - classNames: the name of each class.
  ///   - bootstrap: resamples for the intervals, or nil for none.
  ///   - generator: the bootstrap's source of randomness (four words are drawn from it).
  public init<Generator: RandomNumberGenerator>(
    labels: [Int], classProbabilities: [[Double]], classNames: [String],
    bootstrap: BootstrapConfiguration? = nil, using generator: inout Generator
  ) {
    let classCount = classNames.count
    precondition(!labels.isEmpty, "MulticlassClassificationReport: needs at least one row")
    precondition(classProbabilities.count == labels.count,
                 "MulticlassClassificationReport: \(labels.count) labels but \(classProbabilities.count) probability rows")
    precondition(classProbabilities.allSatisfy { $0.count == classCount },
                 "MulticlassClassificationReport: every probability row must hold \(classCount) classes")
    let predicted = MulticlassMetrics.predictedClasses(classProbabilities)
    let matrix = MulticlassMetrics.matrix(labels, predicted, classCount, "MulticlassClassificationReport")
    let measure = Measure(labels: labels, classProbabilities: classProbabilities, classCount: classCount)
    func statistics(_ weights: [Int32]?) -> [Double] { measure.statistics(weights) }
    var metrics = Dictionary(uniqueKeysWithValues: zip(Self.metricNames, statistics(nil)).map { ($0, MetricEstimate(value: $1)) })
    let absent = (0..<classCount).filter { matrix.support($0) == 0 }
    if !absent.isEmpty {
      metrics["roc_auc_ovr"]?.undefined = .singleClassPresent
      metrics["roc_auc_ovr"]?.detail = "no rows of class \(absent.map { classNames[$0] }.joined(separator: ", ")) in the labels"
    }
    if let bootstrap {
      var resampler = SeededGenerator(seededFrom: &generator)
      let rows = RowResampler(strataCodes: labels, strataCount: classCount)
      let intervals = rows.intervals(statisticCount: Self.metricNames.count, configuration: bootstrap, generator: &resampler) {
        statistics($0)
      }
      for (name, interval) in zip(Self.metricNames, intervals) { metrics[name]?.interval = interval }
    }
    self.classNames = classNames
    self.metrics = metrics
    confusionMatrix = matrix.rounded
    perClass = Dictionary(uniqueKeysWithValues: (0..<classCount).map { classIndex in
      (classNames[classIndex], [
        "precision": MetricEstimate(value: matrix.perClass(.precision, classIndex),
                                    undefined: matrix.predictedCount(classIndex) == 0 ? .noPredictedPositives : nil),
        "recall": MetricEstimate(value: matrix.perClass(.recall, classIndex),
                                 undefined: matrix.support(classIndex) == 0 ? .noPositiveLabels : nil),
        "f1": MetricEstimate(value: matrix.perClass(.f1, classIndex),
                             undefined: matrix.support(classIndex) + matrix.predictedCount(classIndex) == 0 ? .zeroDenominator : nil),
        "support": MetricEstimate(value: matrix.support(classIndex)),
      ])
    })
  }

  /// The metrics named for gates: `split.accuracy`, `split.macro_f1`, … and per class
  /// `split.classes.NAME.f1` (also `precision`, `recall`, `support`).
  public func namedMetrics(split: String) -> [String: MetricEstimate] {
    var named = Dictionary(uniqueKeysWithValues: metrics.map { ("\(split).\($0.key)", $0.value) })
    for (name, values) in perClass {
      for (metric, estimate) in values { named["\(split).classes.\(name).\(metric)"] = estimate }
    }
    return named
  }

  enum CodingKeys: String, CodingKey {
    case metrics
    case classNames = "class_names", confusionMatrix = "confusion_matrix", perClass = "per_class"
  }
}

extension MulticlassClassificationReport {
  /// The overall metrics of one model on (re)weighted rows, with the per-class rankings built once.
  struct Measure {
    let labels: [Int]
    let predicted: [Int]
    let classProbabilities: [[Double]]
    let classCount: Int
    let rankings: [ScoreRanking]

    init(labels: [Int], classProbabilities: [[Double]], classCount: Int) {
      self.labels = labels
      self.classProbabilities = classProbabilities
      self.classCount = classCount
      predicted = MulticlassMetrics.predictedClasses(classProbabilities)
      rankings = (0..<classCount).map { classIndex in
        ScoreRanking(labels: labels.map { $0 == classIndex ? 1 : 0 }, scores: classProbabilities.map { $0[classIndex] })
      }
    }

    /// The values of `metricNames`, in order, with each row counted `weights[row]` times (nil: once).
    func statistics(_ weights: [Int32]?) -> [Double] {
      let matrix = WeightedConfusionMatrix(labels: labels, predicted: predicted, classCount: classCount, weights: weights)
      let aucs = rankings.map { $0.rocAUC(sortedCodes: nil, groupCount: 1, sortedWeights: weights.map($0.sorted))[0] }
      return [matrix.accuracy, matrix.balancedAccuracy, matrix.average(.f1, .macro), matrix.average(.f1, .weighted),
              matrix.average(.f1, .micro), matrix.average(.precision, .macro), matrix.average(.recall, .macro),
              MulticlassMetrics.weightedLogLoss(labels: labels, classProbabilities: classProbabilities, weights: weights),
              aucs.reduce(0, +) / Double(classCount)]
    }
  }
}
