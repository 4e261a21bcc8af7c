import Foundation
import KilnPaths
import KilnData
import KilnMetrics
import KilnDrift
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// `kiln drift`: compares a current batch (raw CSV laid out like the imported files, or a Kiln
/// dataset `.h5` with the same features) with the training split of the model's dataset.
public struct DriftRequest {
  /// The Kiln dataset the model was trained on; its `train` split is the reference.
  public var dataset: URL
  /// The current batch: `.csv` (raw rows, encoded with the dataset's stored encoding) or `.h5`.
  public var current: URL
  public var thresholds: DriftThresholds
  /// The model that scores both sides, as its head asks: the score PSI of a binary model, the
  /// predicted-class drift of a multiclass one, the predicted-value drift of a regression one
  /// (`nil`: features only).
  public var model: MonitoredModel?
  /// Names the model, run, etc. in the report.
  public var context: [String: String]

  public init(dataset: URL, current: URL, thresholds: DriftThresholds, model: MonitoredModel? = nil, context: [String: String] = [:]) {
    self.dataset = dataset
    self.current = current
    self.thresholds = thresholds
    self.model = model
    self.context = context
  }

  /// Reads both sides and runs every comparison.
  /// - Throws: `DatasetError` for unreadable or malformed files, `MonitoringError` when the current
  ///   batch does not match the dataset's features.
  public func run() throws -> DriftReport {
    let reference = try KilnDataset.open(dataset)
    defer { try? reference.close() }
    guard let encoding = reference.metadata.encoding else {
      throw MonitoringError("\(dataset.path) stores no encoding, so raw columns cannot be recovered",
                            hint: "re-import the dataset with `kiln dataset import`")
    }
    let train = try reference.rows(split: "train")
    let batch = try readCurrent(encoding: encoding, metadata: reference.metadata)
    let columns = EncodedColumns.driftColumns(encoding: encoding, reference: train.features, referenceRows: train.rowCount,
                                              current: batch.features, currentRows: batch.rowCount)
    let groupings = reference.metadata.sensitive.map { attribute in
      DriftGrouping(name: attribute.name, categories: attribute.categories,
                    reference: train.sensitive[attribute.name] ?? [], current: batch.sensitive[attribute.name] ?? [])
    }
    var context = self.context
    context["dataset"] = dataset.path
    context["dataset_fingerprint"] = reference.metadata.fingerprint
    context["current"] = current.path
    for (column, count) in batch.unknownCounts.sorted(by: { $0.key < $1.key }) { context["unknown_categories.\(column)"] = String(count) }
    return DriftAnalysis.analyze(columns: columns, groupings: groupings,
                                 predictions: predictionSample(reference: train.features, referenceRows: train.rowCount,
                                                               current: batch.features, currentRows: batch.rowCount),
                                 thresholds: thresholds, context: context)
  }

  /// The model's outputs on both sides, as its head gives them; nil without a model.
  func predictionSample(reference: [Float], referenceRows: Int, current: [Float], currentRows: Int) -> PredictionSample? {
    guard let model else { return nil }
    switch (model.predict(reference, referenceRows), model.predict(current, currentRows)) {
    case (.scores(let reference), .scores(let current)):
      return .scores(reference: reference, current: current)
    case (.probabilities(let reference), .probabilities(let current)):
      func codes(_ probabilities: [[Double]]) -> [Int32] { MulticlassMetrics.predictedClasses(probabilities).map { Int32($0) } }
      return .classes(names: model.classNames, reference: codes(reference), current: codes(current))
    case (.values(let reference), .values(let current)):
      return .values(reference: reference, current: current)
    default:
      preconditionFailure("predictionSample: one model's predictions changed kind between two batches")
    }
  }

  /// The current batch's encoded features and sensitive codes.
  func readCurrent(encoding: DatasetEncoding, metadata: DatasetMetadata) throws -> CurrentBatch {
    guard current.pathExtension.lowercased() == "h5" else {
      let rows = try encoding.encode(csvFile: current)
      return CurrentBatch(features: rows.features, rowCount: rows.rowCount, sensitive: rows.sensitive, unknownCounts: rows.unknownCounts)
    }
    let file = try KilnDataset.open(current)
    defer { try? file.close() }
    guard file.metadata.featureNames == metadata.featureNames else {
      throw MonitoringError("\(current.path): its \(file.metadata.featureCount) features differ from the model dataset's \(metadata.featureCount)",
                            hint: "score raw rows as CSV, or import the batch with the same recipe")
    }
    let rows = try file.rows(Array(0..<file.metadata.rowCount))
    var sensitive: [String: [Int32]] = [:]
    for attribute in metadata.sensitive {
      // Codes index the file's own category list; map them onto the reference's by name.
      guard let own = file.metadata.sensitive.first(where: { $0.name == attribute.name }), let codes = rows.sensitive[attribute.name] else { continue }
      let mapping = own.categories.map { name in Int32(attribute.categories.firstIndex(of: name) ?? -1) }
      sensitive[attribute.name] = codes.map { $0 >= 0 && Int($0) < mapping.count ? mapping[Int($0)] : -1 }
    }
    return CurrentBatch(features: rows.features, rowCount: rows.rowCount, sensitive: sensitive, unknownCounts: [:])
  }
}

/// Encoded rows of the current batch with their sensitive codes (indexing the reference's categories).
struct CurrentBatch {
  var features: [Float]
  var rowCount: Int
  var sensitive: [String: [Int32]]
  var unknownCounts: [String: Int]
}

extension ProjectLayout {
  /// `reports/MODEL/drift/DATE/`, DATE an ISO 8601 UTC timestamp to the second (`2026-11-27T051200Z`).
  /// - Throws: `PathEscapeError` when `model` would lead the folder out of `reports/`.
  public func driftReportDirectory(model: String, date: Date = Date()) throws -> URL {
    try datedReportDirectory(model: model, kind: "drift", date: date)
  }

  /// `reports/MODEL/monitor/DATE/`, DATE as for drift reports.
  public func monitorReportDirectory(model: String, date: Date = Date()) throws -> URL {
    try datedReportDirectory(model: model, kind: "monitor", date: date)
  }

  func datedReportDirectory(model: String, kind: String, date: Date) throws -> URL {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HHmmss'Z'"
    return try ContainedPath.url(under: reportsDirectory, [model, kind, formatter.string(from: date)], isDirectory: true)
  }
}
