/// A multi-class confusion matrix with real-valued counts (a row's weight is its multiplicity in
/// a bootstrap resample, 1 otherwise), and the metrics scikit-learn derives from one.
///
/// Conventions follow scikit-learn 1.9 without a `labels=` argument: the classes taking part in
/// a macro or weighted average are those present in the labels or the predictions; a per-class
/// precision or recall with a zero denominator is 0 (`zero_division` default); balanced accuracy
/// is the mean recall over the classes present in the labels. The same code serves point
/// estimates and resamples, so an interval is always the interval of the reported statistic.
struct WeightedConfusionMatrix {
  let classCount: Int
  /// `cells[trueClass · classCount + predictedClass]`.
  private(set) var cells: [Double]

  init(classCount: Int) {
    precondition(classCount >= 1, "WeightedConfusionMatrix: classCount is \(classCount); it must be at least 1")
    self.classCount = classCount
    cells = [Double](repeating: 0, count: classCount * classCount)
  }

  /// The matrix of `labels` against `predicted`, each row counted `weights[row]` times (once without weights).
  init(labels: [Int], predicted: [Int], classCount: Int, weights: [Int32]? = nil) {
    self.init(classCount: classCount)
    for row in labels.indices {
      let weight = weights.map { Double($0[row]) } ?? 1
      if weight != 0 { add(label: labels[row], prediction: predicted[row], weight: weight) }
    }
  }

  @inline(__always)
  mutating func add(label: Int, prediction: Int, weight: Double) {
    cells[label * classCount + prediction] += weight
  }

  var total: Double { cells.reduce(0, +) }
  func support(_ classIndex: Int) -> Double { (0..<classCount).reduce(0) { $0 + cells[classIndex * classCount + $1] } }
  func predictedCount(_ classIndex: Int) -> Double { (0..<classCount).reduce(0) { $0 + cells[$1 * classCount + classIndex] } }
  func diagonal(_ classIndex: Int) -> Double { cells[classIndex * classCount + classIndex] }

  /// Classes present in the labels or the predictions.
  var presentClasses: [Int] { (0..<classCount).filter { support($0) > 0 || predictedCount($0) > 0 } }

  /// Share of rows on the diagonal (NaN for an empty matrix).
  var accuracy: Double {
    let total = self.total
    return total == 0 ? .nan : (0..<classCount).reduce(0) { $0 + diagonal($1) } / total
  }

  /// Mean recall over the classes present in the labels.
  var balancedAccuracy: Double {
    let present = (0..<classCount).filter { support($0) > 0 }
    guard !present.isEmpty else { return .nan }
    return present.reduce(0) { $0 + diagonal($1) / support($1) } / Double(present.count)
  }

  /// Per-class precision, recall or F1 with zero denominators read as 0.
  func perClass(_ metric: ConfusionMatrix.ClassMetric, _ classIndex: Int) -> Double {
    let truePositives = diagonal(classIndex), support = support(classIndex), predicted = predictedCount(classIndex)
    func ratio(_ numerator: Double, _ denominator: Double) -> Double { denominator == 0 ? 0 : numerator / denominator }
    switch metric {
    case .precision: return ratio(truePositives, predicted)
    case .recall: return ratio(truePositives, support)
    case .f1: return ratio(2 * truePositives, support + predicted)
    case .specificity:
      let negatives = total - support
      return ratio(negatives - (predicted - truePositives), negatives)
    }
  }

  /// The metric averaged over the present classes: macro (unweighted), weighted by support, or
  /// micro (from the summed one-vs-rest counts, which for precision, recall and F1 is accuracy).
  func average(_ metric: ConfusionMatrix.ClassMetric, _ averaging: MulticlassAverage) -> Double {
    let present = presentClasses
    guard !present.isEmpty else { return .nan }
    switch averaging {
    case .macro:
      return present.reduce(0) { $0 + perClass(metric, $1) } / Double(present.count)
    case .weighted:
      let supports = present.map(support), total = supports.reduce(0, +)
      guard total > 0 else { return 0 }
      return zip(present, supports).reduce(0) { $0 + perClass(metric, $1.0) * $1.1 } / total
    case .micro:
      let correct = present.reduce(0) { $0 + diagonal($1) }
      let supports = present.reduce(0) { $0 + support($1) }, predicted = present.reduce(0) { $0 + predictedCount($1) }
      switch metric {
      case .precision: return predicted == 0 ? 0 : correct / predicted
      case .recall: return supports == 0 ? 0 : correct / supports
      case .f1: return supports + predicted == 0 ? 0 : 2 * correct / (supports + predicted)
      case .specificity:
        let negatives = present.reduce(0) { $0 + (total - support($1)) }
        let falsePositives = predicted - correct
        return negatives == 0 ? 0 : (negatives - falsePositives) / negatives
      }
    }
  }

  /// The integer counts, `[trueClass][predictedClass]`.
  var rounded: [[Int]] {
    (0..<classCount).map { label in (0..<classCount).map { Int(cells[label * classCount + $0].rounded()) } }
  }
}
