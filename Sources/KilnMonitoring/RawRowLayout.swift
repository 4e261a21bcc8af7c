import KilnData
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// Where a scored file's fields sit among a dataset's raw columns, and whether a record can be
/// encoded: a bad record is rejected with a reason rather than failing the whole batch.
struct RawRowLayout {
  let encoding: DatasetEncoding
  /// For each raw column, its field index in the input (`nil`: absent, read as missing).
  let fieldIndex: [Int?]
  /// Fields a record must have (without a header, all raw columns, or all but the label).
  let fieldCount: Int
  private let hasHeader: Bool
  /// Tokens meaning "missing" (a handful: compared one by one, faster than hashing each field).
  private let missingTokens: [String]
  private let labelColumn: Int?

  /// - Parameters:
  ///   - header: the file's column names, or `nil` for a file without a header (its fields are the
  ///     raw columns in order, the label column possibly left out).
  ///   - place: the header's file and line, for messages.
  /// - Throws: `MonitoringError` naming the columns the model reads that the header lacks.
  init(encoding: DatasetEncoding, header: [String]?, place: String) throws {
    self.encoding = encoding
    missingTokens = encoding.missingTokens
    // A stored encoding is read from a file, so it is checked like input.
    let index = Dictionary(encoding.rawColumns.enumerated().map { ($1, $0) }) { first, _ in first }
    func position(_ column: String) throws -> Int {
      guard let position = index[column] else {
        throw MonitoringError("the stored encoding reads column '\(column)', which its raw columns do not list", hint: "re-import the dataset")
      }
      return position
    }
    let blockColumns = Array(Set(try encoding.blocks.map { try position($0.column) })).sorted()
    labelColumn = encoding.label.flatMap { index[$0.column] }
    hasHeader = header != nil
    if let header {
      fieldIndex = encoding.rawColumns.map { header.firstIndex(of: $0) }
      fieldCount = header.count
      let required = Array(Set(blockColumns + (try encoding.sensitive.map { try position($0.column) }))).sorted()
      let absent = required.filter { fieldIndex[$0] == nil }.map { encoding.rawColumns[$0] }
      if !absent.isEmpty {
        throw MonitoringError("\(place): the header lacks column\(absent.count == 1 ? "" : "s") \(absent.joined(separator: ", "))",
                              hint: "the model reads \(required.map { encoding.rawColumns[$0] }.joined(separator: ", "))")
      }
    } else {
      fieldIndex = encoding.rawColumns.indices.map { $0 }
      fieldCount = encoding.rawColumns.count
    }
  }

  /// The record's fields as the layout expects them (a file without header may leave out the
  /// label column), or the reason they cannot be read.
  func aligned(_ fields: [String]) -> Result<[String], RowRejection> {
    if fields.count == fieldCount { return .success(fields) }
    if !hasHeader, fields.count == fieldCount - 1, let labelColumn {
      var fields = fields
      fields.insert(encoding.missingTokens.first ?? "", at: labelColumn)
      return .success(fields)
    }
    return .failure(RowRejection("expected \(fieldCount) fields but found \(fields.count)"))
  }

  /// The value of raw column `column` in aligned `fields`; nil when absent or a missing token.
  func value(_ fields: [String], column: Int) -> String? {
    guard let index = fieldIndex[column] else { return nil }
    let value = fields[index]
    return missingTokens.contains(value) ? nil : value
  }

  /// The reason an encoder's problem gives a rejected row.
  static func rejection(_ problem: DatasetEncoding.RowProblem) -> RowRejection {
    switch problem {
    case .missing(let column): return RowRejection("column '\(column)' is missing (the dataset drops rows with missing values)")
    case .notANumber(let column, let text): return RowRejection("column '\(column)': cannot parse '\(text)' as a finite number")
    }
  }
}

/// Why a raw row was not scored.
struct RowRejection: Error {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}
