/// Multi-class metrics over class-probability rows.
public enum MulticlassMetrics {
  /// One-vs-rest ROC AUC of each class (NaN for a class absent from, or alone in, the labels).
  public static func rocAUCPerClass(labels: [Int], classProbabilities: [[Double]]) -> [Double] {
    precondition(labels.count == classProbabilities.count,
                 "rocAUCPerClass: \(labels.count) labels but \(classProbabilities.count) probability rows")
    let classCount = classProbabilities.first?.count ?? 0
    return (0..<classCount).map { classIndex in
      RankingMetrics.rocAUC(labels: labels.map { $0 == classIndex ? 1 : 0 }, scores: classProbabilities.map { $0[classIndex] })
    }
  }

  /// Macro-averaged one-vs-rest ROC AUC (scikit-learn `roc_auc_score(multi_class="ovr",
  /// average="macro")`): the mean of the per-class AUCs.
  public static func rocAUCOneVersusRest(labels: [Int], classProbabilities: [[Double]]) -> Double {
    let perClass = rocAUCPerClass(labels: labels, classProbabilities: classProbabilities)
    return perClass.reduce(0, +) / Double(perClass.count)
  }

  /// The class with the highest probability in each row (the first on ties, as numpy's argmax).
  public static func predictedClasses(_ classProbabilities: [[Double]]) -> [Int] {
    classProbabilities.map { row in row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0 }
  }
}
