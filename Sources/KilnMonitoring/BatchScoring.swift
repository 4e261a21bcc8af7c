import Foundation
import KilnData
import KilnHDF5
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnMetrics

/// `kiln predict`: scores a raw CSV (streamed in chunks and encoded with the dataset's stored
/// encoding) or a Kiln dataset `.h5`, writing row ids, scores and decisions, and the rows that
/// cannot be encoded to a rejects file with their line and reason.
public struct BatchScoringRequest {
  public var encoding: DatasetEncoding
  public var input: URL
  /// `.csv` (`row_id,line,score,decision`) or `.h5` (datasets `row_id`, `line`, `score`, `decision`).
  public var output: URL
  /// `line,reason,raw` for each rejected CSV row.
  public var rejects: URL
  public var batchSize: Int
  /// Rows scoring at or above the threshold are decided 1.
  public var threshold: Double
  /// What the model's outputs mean, so which columns are written: binary scores and decisions,
  /// multiclass probabilities and predicted classes, or regression values.
  public var head: ModelHead
  /// The multiclass columns' class names, in class-code order (unused by the other heads).
  public var classNames: [String]
  /// The model's predictions for row-major encoded features, in the head's terms.
  public var predict: (_ features: [Float], _ rowCount: Int) -> HeadPredictions
  /// A binary model's group thresholds (`mitigation.thresholds`): they decide instead of
  /// `threshold`, from each row's sensitive columns, randomised with `decisionSeed`.
  public var groupThresholds: GroupThresholds?
  public var decisionSeed: UInt64 = 0
  /// A reduction's mixture (`mitigation.reductions`): it decides instead of `threshold`, by each
  /// row's seeded randomised draw (`TrainedModel.mixtureDecisions`), with `decisionSeed`.
  public var mixtureDecisions: ((_ features: [Float], _ rowCount: Int, _ rowIDs: [Int], _ seed: UInt64) -> [Int]?)?
  /// A regression mixture: each row's value is one member's, drawn with `decisionSeed`
  /// (`TrainedModel.mixtureValues`), in place of the expected value.
  public var mixtureValues: ((_ features: [Float], _ rowCount: Int, _ rowIDs: [Int], _ seed: UInt64) -> [Double]?)?

  public init(encoding: DatasetEncoding, input: URL, output: URL, rejects: URL? = nil, batchSize: Int = 8192,
              threshold: Double, head: ModelHead, classNames: [String] = [],
              predict: @escaping (_ features: [Float], _ rowCount: Int) -> HeadPredictions) {
    precondition(batchSize > 0, "BatchScoringRequest: the batch size must be positive, found \(batchSize)")
    precondition(head.outputSize == 1 || classNames.count == head.classCount,
                 "BatchScoringRequest: \(classNames.count) class names for a head of \(head.classCount) classes")
    self.encoding = encoding
    self.input = input
    self.output = output
    self.rejects = rejects ?? output.deletingPathExtension().appendingPathExtension("rejects.csv")
    self.batchSize = batchSize
    self.threshold = threshold
    self.head = head
    self.classNames = classNames
    self.predict = predict
  }

  /// Scores the input.
  /// - Throws: `MonitoringError` or `DatasetError` for an unreadable input, a header lacking
  ///   columns the model reads, or an unwritable output (nothing is left half-written).
  public func run() throws -> BatchScoringSummary {
    let sink = try ScoreSink(url: output, threshold: threshold, head: head, classNames: classNames)
    do {
      var summary = input.pathExtension.lowercased() == "h5" ? try scoreDataset(into: sink) : try scoreCSV(into: sink)
      summary.threshold = threshold
      try sink.commit()
      return summary
    } catch {
      sink.discard()
      throw error
    }
  }

  private func scoreCSV(into sink: ScoreSink) throws -> BatchScoringSummary {
    guard let format = encoding.format else {
      throw MonitoringError("the stored encoding does not describe the raw file format", hint: "re-import the dataset")
    }
    // The file's own header names its columns (format.columns names the imported files' columns).
    let reader = try DelimitedReader(url: input, format: format.delimitedFormat(), header: format.header)
    let layout = try RawRowLayout(encoding: encoding, header: format.header ? reader.columns : nil,
                                  place: "\(input.path):\(reader.headerLine ?? 1)")
    let rejectsWriter = try AtomicTextWriter(url: rejects)
    var summary = BatchScoringSummary(input: input.path, output: output.path, rejects: rejects.path)
    var encoder = DatasetEncoding.RowEncoder(encoding)
    var features: [Float] = [], lines: [Int] = [], rowIDs: [Int] = [], groups: [String] = []
    features.reserveCapacity(batchSize * encoder.width)
    let groupColumns = try groupThresholds.map { try encoding.sensitiveColumns(readBy: $0, toDo: "score") }
    func flush() throws {
      guard !lines.isEmpty else { return }
      try write(features: features, rowCount: lines.count, rowIDs: rowIDs, lines: lines, groups: groups, into: sink, summary: &summary)
      summary.rowsScored += lines.count
      features.removeAll(keepingCapacity: true); lines.removeAll(keepingCapacity: true); rowIDs.removeAll(keepingCapacity: true)
      groups.removeAll(keepingCapacity: true)
    }
    do {
      try rejectsWriter.write("line,reason,raw\n")
      let delimiter = String(UnicodeScalar(reader.format.delimiter))
      func reject(_ record: DelimitedRecord, _ rejection: RowRejection) throws {
        summary.rowsRejected += 1
        let raw = record.fields.map { csvQuoted($0, delimiter: delimiter) }.joined(separator: delimiter)
        try rejectsWriter.write("\(record.line),\(csvQuoted(rejection.reason)),\(csvQuoted(raw))\n")
      }
      while let record = try reader.nextRecord() {
        let rowID = summary.rowsRead
        summary.rowsRead += 1
        switch layout.aligned(record.fields) {
        case .success(let fields):
          var group: String?
          if let groupThresholds, let groupColumns {
            let name = groupColumns.map { attribute, column in attribute.groupName(of: layout.value(fields, column: column)) }.joined(separator: "&")
            guard groupThresholds.rules[name] != nil else {
              try reject(record, RowRejection("\(groupThresholds.grouping) = \(name) has no fitted group threshold "
                                              + "(the model knows: \(groupThresholds.rules.keys.sorted().joined(separator: ", ")))"))
              continue
            }
            group = name
          }
          if let problem = encoder.append({ layout.value(fields, column: $0) }, to: &features) {
            try reject(record, RawRowLayout.rejection(problem))
            continue
          }
          if let group { groups.append(group) }
          lines.append(record.line); rowIDs.append(rowID)
          if lines.count >= batchSize { try flush() }
        case .failure(let rejection):
          try reject(record, rejection)
        }
      }
      try flush()
      try rejectsWriter.commit()
    } catch {
      rejectsWriter.discard()
      throw error
    }
    for (column, count) in encoder.unknownCounts { summary.unknownCategories[column, default: 0] += count }
    summary.inputFingerprint = reader.fingerprint
    return summary
  }

  /// Predicts a batch with the head's function and appends it to the sink, counting decisions or classes.
  private func write(features: [Float], rowCount: Int, rowIDs: [Int], lines: [Int], groups: [String], into sink: ScoreSink,
                     summary: inout BatchScoringSummary) throws {
    try record(mixedPredictions(features, rowCount, rowIDs: rowIDs), decisions: mixtureDecisions?(features, rowCount, rowIDs, decisionSeed), rowIDs: rowIDs,
               lines: lines, groups: groups, into: sink, summary: &summary)
  }

  /// The model's predictions for a batch, a regression mixture's values drawn per row.
  private func mixedPredictions(_ features: [Float], _ rowCount: Int, rowIDs: [Int]) -> HeadPredictions {
    if let drawn = mixtureValues?(features, rowCount, rowIDs, decisionSeed) { return .values(drawn) }
    return predict(features, rowCount)
  }

  /// Appends a batch's outputs to the sink, counting decisions or classes.
  private func record(_ predictions: HeadPredictions, decisions mixed: [Int]?, rowIDs: [Int], lines: [Int], groups: [String],
                      into sink: ScoreSink, summary: inout BatchScoringSummary) throws {
    switch predictions {
    case .scores(let scores):
      let decisions = try mixed ?? groupThresholds?.predictions(scores: scores, groups: groups, rowIDs: rowIDs, seed: decisionSeed)
      summary.positives += try sink.append(rowIDs: rowIDs, lines: lines, scores: scores, decisions: decisions)
    case .probabilities(let probabilities):
      let predicted = try sink.append(rowIDs: rowIDs, lines: lines, probabilities: probabilities)
      for code in predicted { summary.predictedClasses[classNames[code], default: 0] += 1 }
    case .values(let values):
      try sink.append(rowIDs: rowIDs, lines: lines, values: values)
    }
  }

  /// Scores a `.h5` in three overlapping stages: the next batch is read on one thread
  /// (`forEachBatch`), the model scores the current one on this thread, and the previous one's
  /// outputs are formatted and written on a third.
  private func scoreDataset(into sink: ScoreSink) throws -> BatchScoringSummary {
    let dataset = try KilnDataset.open(input)
    defer { try? dataset.close() }
    guard dataset.metadata.featureNames == encoding.featureNames else {
      throw MonitoringError("\(input.path): its \(dataset.metadata.featureCount) features differ from the model's \(encoding.featureCount)",
                            hint: "score the raw rows as CSV, or import them with the model dataset's recipe")
    }
    /// The summary and the first write error, touched only by the writing thread between waits.
    final class Writing: @unchecked Sendable {
      var summary: BatchScoringSummary
      var error: Error?
      init(_ summary: BatchScoringSummary) { self.summary = summary }
    }
    var summary = BatchScoringSummary(input: input.path, output: output.path, rejects: nil)
    summary.inputFingerprint = dataset.metadata.fingerprint
    let writing = Writing(summary)
    let writer = DispatchQueue(label: "kiln.scoring.writer"), pending = DispatchGroup()
    let noLines = [Int](repeating: 0, count: batchSize)
    let groupAttributes = try groupThresholds.map { try encoding.sensitiveColumns(readBy: $0, toDo: "score").map(\.0) } ?? []
    defer { pending.wait() }
    try dataset.forEachBatch(of: batchSize) { batch in
      let predictions = mixedPredictions(batch.features, batch.rowCount, rowIDs: batch.rowIndices)
      let mixed = mixtureDecisions?(batch.features, batch.rowCount, batch.rowIndices, decisionSeed)
      let groups = SensitiveEncoding.groupNames(groupAttributes, codes: batch.sensitive, rowCount: batch.rowCount)
      // One batch in writing at a time: wait for the previous one, and stop at its error.
      pending.wait()
      if let error = writing.error { throw error }
      let rowIDs = batch.rowIndices, lines = Array(noLines[0..<batch.rowCount])
      writer.async(group: pending) {
        do {
          try self.record(predictions, decisions: mixed, rowIDs: rowIDs, lines: lines, groups: groups, into: sink, summary: &writing.summary)
          writing.summary.rowsRead += rowIDs.count
          writing.summary.rowsScored += rowIDs.count
        } catch {
          writing.error = error
        }
      }
    }
    pending.wait()
    if let error = writing.error { throw error }
    return writing.summary
  }
}

/// Counts of a scoring run, as printed and tracked.
public struct BatchScoringSummary: Codable, Sendable, Equatable {
  public var input: String
  public var output: String
  public var rejects: String?
  /// SHA-256 of the input file's bytes (CSV) or the dataset's content fingerprint (`.h5`).
  public var inputFingerprint = ""
  public var rowsRead = 0
  public var rowsScored = 0
  public var rowsRejected = 0
  /// The decision threshold applied.
  public var threshold = 0.5
  /// Rows decided 1 at the threshold.
  public var positives = 0
  /// Per raw column, values that fell into the unknown-category bucket.
  public var unknownCategories: [String: Int] = [:]
  /// Rows per predicted class (multiclass models; empty otherwise).
  public var predictedClasses: [String: Int] = [:]

  enum CodingKeys: String, CodingKey {
    case input, output, rejects, positives, threshold
    case predictedClasses = "predicted_classes"
    case inputFingerprint = "input_fingerprint", rowsRead = "rows_read", rowsScored = "rows_scored"
    case rowsRejected = "rows_rejected", unknownCategories = "unknown_categories"
  }

  init(input: String, output: String, rejects: String?) {
    self.input = input
    self.output = output
    self.rejects = rejects
  }
}

/// Where scores go: a CSV streamed to disk, or columns kept and written to HDF5 at the end.
/// Binary: `row_id,line,score,decision`; multiclass: `row_id,line,predicted_class,probability_CLASS…`
/// (HDF5: `predicted_class` codes, `probabilities` rows × classes, attribute `classes`);
/// regression: `row_id,line,prediction`.
final class ScoreSink {
  private let url: URL
  private let threshold: Double
  private let head: ModelHead
  private let classNames: [String]
  private let text: AtomicTextWriter?
  /// Kept for HDF5 output: `values` holds scores, predictions or row-major probabilities;
  /// `codes` decisions or predicted classes.
  private var rowIDs: [Int64] = [], lines: [Int64] = [], values: [Double] = [], codes: [Int32] = []
  /// The text of the rows being appended.
  private var line = CSVLine()
  private let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")

  init(url: URL, threshold: Double, head: ModelHead = .binary, classNames: [String] = []) throws {
    self.url = url
    self.threshold = threshold
    self.head = head
    self.classNames = classNames
    if url.pathExtension.lowercased() == "h5" {
      text = nil
    } else {
      text = try AtomicTextWriter(url: url)
      switch head {
      case .binary: try text?.write("row_id,line,score,decision\n")
      case .multiclass:
        try text?.write((["row_id", "line", "predicted_class"] + classNames.map { csvQuoted("probability_\($0)") }).joined(separator: ",") + "\n")
      case .regression: try text?.write("row_id,line,prediction\n")
      }
    }
  }

  /// Appends scored rows of a binary model, decided at the threshold or as `decisions` says;
  /// returns how many were decided 1.
  func append(rowIDs ids: [Int], lines lineNumbers: [Int], scores scored: [Double], decisions: [Int]? = nil) throws -> Int {
    precondition(ids.count == scored.count && lineNumbers.count == scored.count && (decisions?.count ?? scored.count) == scored.count,
                 "ScoreSink.append: \(ids.count) ids, \(lineNumbers.count) lines and \(scored.count) scores")
    var positives = 0
    for index in scored.indices {
      let decision = decisions?[index] ?? (scored[index] >= threshold ? 1 : 0)
      positives += decision
      if text != nil {
        line.append(ids[index]); line.append(byte: comma)
        line.append(lineNumbers[index]); line.append(byte: comma)
        line.appendFixedSix(scored[index]); line.append(byte: comma)
        line.append(byte: decision == 1 ? UInt8(ascii: "1") : UInt8(ascii: "0")); line.append(byte: newline)
      } else {
        keep(ids[index], lineNumbers[index], value: scored[index], code: Int32(decision))
      }
    }
    try text?.write(&line)
    return positives
  }

  /// Appends rows of a multiclass model; returns each row's predicted class (the most probable).
  func append(rowIDs ids: [Int], lines lineNumbers: [Int], probabilities: [[Double]]) throws -> [Int] {
    precondition(ids.count == probabilities.count && lineNumbers.count == probabilities.count,
                 "ScoreSink.append: \(ids.count) ids, \(lineNumbers.count) lines and \(probabilities.count) probability rows")
    var predicted: [Int] = []
    for index in probabilities.indices {
      let row = probabilities[index]
      let code = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0
      predicted.append(code)
      if text != nil {
        line.append(ids[index]); line.append(byte: comma)
        line.append(lineNumbers[index]); line.append(byte: comma)
        line.append(csvQuoted(classNames[code]))
        for probability in row { line.append(byte: comma); line.appendFixedSix(probability) }
        line.append(byte: newline)
      } else {
        for probability in row { values.append(probability) }
        keep(ids[index], lineNumbers[index], code: Int32(code))
      }
    }
    try text?.write(&line)
    return predicted
  }

  /// Appends rows of a regression model.
  func append(rowIDs ids: [Int], lines lineNumbers: [Int], values predictions: [Double]) throws {
    precondition(ids.count == predictions.count && lineNumbers.count == predictions.count,
                 "ScoreSink.append: \(ids.count) ids, \(lineNumbers.count) lines and \(predictions.count) predictions")
    for index in predictions.indices {
      if text != nil {
        line.append(ids[index]); line.append(byte: comma)
        line.append(lineNumbers[index]); line.append(byte: comma)
        line.append(predictions[index].description); line.append(byte: newline)
      } else {
        keep(ids[index], lineNumbers[index], value: predictions[index], code: 0)
      }
    }
    try text?.write(&line)
  }

  private func keep(_ id: Int, _ line: Int, value: Double, code: Int32) {
    values.append(value)
    keep(id, line, code: code)
  }

  /// Keeps a row whose values are already appended to `values`.
  private func keep(_ id: Int, _ line: Int, code: Int32) {
    rowIDs.append(Int64(id)); lines.append(Int64(line)); codes.append(code)
  }

  func commit() throws {
    if let text { try text.commit(); return }
    try HDF5File.writeAtomically(to: url) { root in
      try root.createDataset("row_id", values: rowIDs)
      try root.createDataset("line", values: lines)
      switch head {
      case .binary:
        try root.setAttribute("format", "kiln.scores/1")
        try root.setAttribute("threshold", threshold)
        try root.createDataset("score", values: values)
        try root.createDataset("decision", values: codes)
      case .multiclass:
        try root.setAttribute("format", "kiln.class-probabilities/1")
        try root.setAttribute("classes", classNames)
        try root.createDataset("predicted_class", values: codes)
        try root.createDataset("probabilities", values: values, shape: [rowIDs.count, classNames.count])
      case .regression:
        try root.setAttribute("format", "kiln.predictions/1")
        try root.createDataset("prediction", values: values)
      }
    }
  }

  func discard() { text?.discard() }
}

/// A CSV field, quoted when it holds the delimiter, a quote or a line break (quotes doubled).
func csvQuoted(_ field: String, delimiter: String = ",") -> String {
  guard field.contains(where: { String($0) == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
  return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

extension DatasetEncoding {
  /// Each attribute group thresholds read, with its raw column, for batch scoring and the monitor.
  /// - Throws: `MonitoringError` when the encoding does not derive one of them; `task` ("score",
  ///   "monitor") completes the hint.
  func sensitiveColumns(readBy thresholds: GroupThresholds, toDo task: String) throws -> [(SensitiveEncoding, Int)] {
    try thresholds.attributes.map { name in
      guard let attribute = sensitive.first(where: { $0.name == name }), let column = rawColumns.firstIndex(of: attribute.column) else {
        throw MonitoringError("the model decides by group thresholds on `\(name)`, which the stored encoding does not derive",
                              hint: "\(task) with a model trained on this dataset")
      }
      return (attribute, column)
    }
  }
}

extension SensitiveEncoding {
  /// Each row's group under `attributes`, from their stored codes, as group thresholds name it:
  /// the attributes' categories joined by `&` (`<missing>` for a code outside the categories).
  /// No attributes give no groups.
  static func groupNames(_ attributes: [SensitiveEncoding], codes: [String: [Int32]], rowCount: Int) -> [String] {
    guard !attributes.isEmpty else { return [] }
    return (0..<rowCount).map { row in
      attributes.map { attribute in
        let code = codes[attribute.name]?[row] ?? -1
        return code >= 0 && Int(code) < attribute.categories.count ? attribute.categories[Int(code)] : DatasetMetadata.missingSensitiveLabel
      }.joined(separator: "&")
    }
  }
}
