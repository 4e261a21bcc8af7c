import KilnRandom
import Foundation
import KilnData
import KilnMetrics
import KilnTensor
import KilnConfiguration
import KilnTraining

extension FairnessAuditRequest {
  /// Audits a multi-class (`kind: .multiclass`, class names in the label and prediction columns)
  /// or regression (`.regression`, numbers) predictions table by group.
  /// - Throws: `PredictionsInputError` naming the column and line of the first bad value, or when
  ///   a score column is given (scores are for binary audits).
  public func runGrouped(on table: DelimitedTable, kind: LabelKind) throws -> GroupedMetricsReport {
    precondition(kind != .binary, "FairnessAuditRequest.runGrouped: binary audits go through run(on:)")
    guard scoreColumn == nil else {
      throw PredictionsInputError(path: table.file, column: scoreColumn, message: "--score applies to binary audits only",
                                  hint: "leave out --score for a \(kind.rawValue) audit")
    }
    let attributes = try checkedAttributes(in: table)
    let configuration = FairnessAudit.Configuration(
      intersections: includeIntersection && sensitiveColumns.count >= 2 ? [sensitiveColumns] : [],
      minimumGroupSize: minimumGroupSize, bootstrap: resamples > 0 ? BootstrapConfiguration(resamples: resamples) : nil)
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    if kind == .regression {
      return try GroupedMetricsAudit.regression(targets: try numericColumn(labelColumn, role: "target", in: table),
                                                predictions: try numericColumn(predictionColumn, role: "prediction", in: table),
                                                attributes: attributes, configuration: configuration, using: &generator)
    }
    let labels = try table.values(ofColumn: labelColumn, role: "label"), predictions = try table.values(ofColumn: predictionColumn, role: "prediction")
    for (name, values) in [(labelColumn, labels), (predictionColumn, predictions)] {
      if let row = values.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
        throw PredictionsInputError(path: table.file, line: table.line(ofRow: row), column: name, message: "class is missing",
                                    hint: "every row needs a class name in the label and prediction columns")
      }
    }
    let classes = Self.sortedClasses(Set(labels + predictions))
    let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    return try GroupedMetricsAudit.multiclass(labels: labels.map { code[$0]! }, predicted: predictions.map { code[$0]! },
                                              classCount: classes.count, attributes: attributes, configuration: configuration,
                                              using: &generator)
  }

  /// Class names in scikit-learn's `unique_labels` order: numeric when all are numbers, else text order.
  static func sortedClasses(_ names: Set<String>) -> [String] {
    let numbers = names.compactMap { name in Double(name).map { (name, $0) } }
    if numbers.count == names.count { return numbers.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0) }
    return names.sorted()
  }

  func checkedAttributes(in table: DelimitedTable) throws -> [KilnMetrics.SensitiveAttribute] {
    guard !sensitiveColumns.isEmpty, !sensitiveColumns.contains(where: \.isEmpty) else {
      throw PredictionsInputError(path: table.file, message: "the list of sensitive columns is empty", hint: "pass --sensitive COLUMN[,COLUMN...]")
    }
    guard minimumGroupSize >= 0 else {
      throw PredictionsInputError(path: table.file, message: "minimum group size \(minimumGroupSize) is negative", hint: "pass a size of 0 or more")
    }
    guard !table.records.isEmpty else {
      throw PredictionsInputError(path: table.file, message: "the file has a header but no rows", hint: "audit a file with predictions")
    }
    return try sensitiveColumns.map { name in
      let values = try table.values(ofColumn: name, role: "sensitive")
      if let row = values.firstIndex(where: { $0.isEmpty }) {
        throw PredictionsInputError(path: table.file, line: table.line(ofRow: row), column: name,
                                    message: "sensitive value is missing", hint: "fill it in, e.g. with \"unknown\"")
      }
      return KilnMetrics.SensitiveAttribute(name: name, values: values)
    }
  }

  func numericColumn(_ name: String, role: String, in table: DelimitedTable) throws -> [Double] {
    try table.values(ofColumn: name, role: role).enumerated().map { row, text in
      guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
        throw PredictionsInputError(path: table.file, line: table.line(ofRow: row), column: name,
                                    message: "\(role) \"\(text)\" is not a finite number", hint: "regression audits need numeric targets and predictions")
      }
      return value
    }
  }
}
