import KilnRandom
import Foundation
import KilnData
import KilnMetrics
import KilnTensor
import KilnConfiguration
import KilnTraining

/// A fairness audit of a predictions CSV: which columns hold what, and what to compute.
public struct FairnessAuditRequest: Sendable {
  /// The label column (0 or 1; class names; numbers).
  public var labelColumn: String
  /// The prediction column (0 or 1; class names; numbers).
  public var predictionColumn: String
  /// The optional score column (probabilities of label 1 in [0, 1]).
  public var scoreColumn: String?
  /// The sensitive attribute columns.
  public var sensitiveColumns: [String]
  /// Whether to audit the intersection of all sensitive columns too.
  public var includeIntersection: Bool
  /// Groups smaller than this are reported as insufficient data.
  public var minimumGroupSize: Int
  /// Bootstrap resamples for intervals (0: no intervals).
  public var resamples: Int
  /// Seed of the bootstrap.
  public var seed: UInt64

  public init(labelColumn: String, predictionColumn: String, scoreColumn: String? = nil, sensitiveColumns: [String],
              includeIntersection: Bool = false, minimumGroupSize: Int = 1, resamples: Int = 1000, seed: UInt64 = 0) {
    self.labelColumn = labelColumn
    self.predictionColumn = predictionColumn
    self.scoreColumn = scoreColumn
    self.sensitiveColumns = sensitiveColumns
    self.includeIntersection = includeIntersection
    self.minimumGroupSize = minimumGroupSize
    self.resamples = resamples
    self.seed = seed
  }

  /// Reads `table`, checks every value, and audits it as `kind` asks: binary (labels and
  /// predictions 0 or 1, optional scores), multiclass (class names in the label and prediction
  /// columns) or regression (numbers).
  /// - Throws: `PredictionsInputError` naming the column and line of the first bad value, or when
  ///   a score column is given for a multiclass or regression audit.
  public func run(on table: DelimitedTable, kind: LabelKind = .binary) throws -> FairnessReport {
    guard !sensitiveColumns.isEmpty, !sensitiveColumns.contains(where: \.isEmpty) else {
      throw PredictionsInputError(path: table.file, message: "the list of sensitive columns is empty",
                                  hint: "pass --sensitive COLUMN[,COLUMN...]")
    }
    guard minimumGroupSize >= 0 else {
      throw PredictionsInputError(path: table.file, message: "minimum group size \(minimumGroupSize) is negative",
                                  hint: "pass a size of 0 or more")
    }
    guard !table.records.isEmpty else {
      throw PredictionsInputError(path: table.file, message: "the file has a header but no rows", hint: "audit a file with predictions")
    }
    guard kind == .binary || scoreColumn == nil else {
      throw PredictionsInputError(path: table.file, column: scoreColumn, message: "--score applies to binary audits only",
                                  hint: "leave out --score for a \(kind.rawValue) audit")
    }
    let configuration = FairnessAudit.Configuration(
      intersections: includeIntersection && sensitiveColumns.count >= 2 ? [sensitiveColumns] : [],
      minimumGroupSize: minimumGroupSize,
      bootstrap: resamples > 0 ? BootstrapConfiguration(resamples: resamples) : nil)
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    switch kind {
    case .binary:
      let labels = try binaryColumn(labelColumn, role: "label", in: table)
      let predictions = try binaryColumn(predictionColumn, role: "prediction", in: table)
      let scores = try scoreColumn.map { try probabilityColumn($0, in: table) }
      return try FairnessAudit.report(labels: labels, predictions: predictions, scores: scores, attributes: try attributes(in: table),
                                      configuration: configuration, using: &generator)
    case .regression:
      let targets = try numericColumn(labelColumn, role: "target", in: table)
      let predictions = try numericColumn(predictionColumn, role: "prediction", in: table)
      return try FairnessAudit.regression(targets: targets, predictions: predictions, attributes: try attributes(in: table),
                                          configuration: configuration, using: &generator)
    case .multiclass:
      let labels = try table.values(ofColumn: labelColumn, role: "label"), predictions = try table.values(ofColumn: predictionColumn, role: "prediction")
      for (name, values) in [(labelColumn, labels), (predictionColumn, predictions)] {
        if let row = values.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
          throw PredictionsInputError(path: table.file, line: table.line(ofRow: row), column: name, message: "class is missing",
                                      hint: "every row needs a class name in the label and prediction columns")
        }
      }
      let classes = Self.sortedClasses(Set(labels + predictions))
      let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
      return try FairnessAudit.multiclass(labels: labels.map { code[$0]! }, predicted: predictions.map { code[$0]! },
                                          classCount: classes.count, attributes: try attributes(in: table),
                                          configuration: configuration, using: &generator)
    }
  }

  /// The sensitive columns, each value present.
  func attributes(in table: DelimitedTable) throws -> [KilnMetrics.SensitiveAttribute] {
    try sensitiveColumns.map { name in
      let values = try table.values(ofColumn: name, role: "sensitive")
      if let row = values.firstIndex(where: { $0.isEmpty }) {
        throw PredictionsInputError(path: table.file, line: table.line(ofRow: row), column: name,
                                    message: "sensitive value is missing", hint: "fill it in, e.g. with \"unknown\"")
      }
      return KilnMetrics.SensitiveAttribute(name: name, values: values)
    }
  }

  /// Class names in scikit-learn's `unique_labels` order: numeric when all are numbers, else text order.
  static func sortedClasses(_ names: Set<String>) -> [String] {
    let numbers = names.compactMap { name in Double(name).map { (name, $0) } }
    if numbers.count == names.count { return numbers.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0) }
    return names.sorted()
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

  func binaryColumn(_ name: String, role: String, in table: DelimitedTable) throws -> [Int] {
    let values = try table.values(ofColumn: name, role: role)
    return try values.enumerated().map { row, text in
      switch text.trimmingCharacters(in: .whitespaces) {
      case "0", "0.0": return 0
      case "1", "1.0": return 1
      default:
        throw PredictionsInputError(path: table.file, line: table.line(ofRow: row), column: name,
                                    message: "\(role) \"\(text)\" is not 0 or 1",
                                    hint: "binary fairness metrics need labels and predictions coded 0/1")
      }
    }
  }

  func probabilityColumn(_ name: String, in table: DelimitedTable) throws -> [Double] {
    let values = try table.values(ofColumn: name, role: "score")
    return try values.enumerated().map { row, text in
      guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value >= 0, value <= 1 else {
        throw PredictionsInputError(path: table.file, line: table.line(ofRow: row), column: name,
                                    message: "score \"\(text)\" is not a number in [0, 1]",
                                    hint: "scores must be probabilities of label 1")
      }
      return value
    }
  }
}
