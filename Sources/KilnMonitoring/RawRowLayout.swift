import KilnData
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnPromotion

/// Where a scored file's fields sit among a dataset's raw columns, and whether a record can be
/// encoded: a bad record is rejected with a reason rather than failing the whole batch.
struct RawRowLayout {
  let encoding: DatasetEncoding
  /// For each raw column, its field index in the input (`nil`: absent, read as missing).
  let fieldIndex: [Int?]
  /// Fields a record must have (without a header, all raw columns, or all but the label).
  let fieldCount: Int
  private let hasHeader: Bool
  private let missing: Set<String>
  private let numericColumns: [Int]
  /// Raw columns read by a feature block (a missing value there drops the row under `drop`).
  private let blockColumns: [Int]
  private let labelColumn: Int?

  /// - Parameters:
  ///   - header: the file's column names, or `nil` for a file without a header (its fields are the
  ///     raw columns in order, the label column possibly left out).
  ///   - place: the header's file and line, for messages.
  /// - Throws: `MonitoringError` naming the columns the model reads that the header lacks.
  init(encoding: DatasetEncoding, header: [String]?, place: String) throws {
    self.encoding = encoding
    missing = Set(encoding.missingTokens)
    // A stored encoding is read from a file, so it is checked like input.
    let index = Dictionary(encoding.rawColumns.enumerated().map { ($1, $0) }) { first, _ in first }
    func position(_ column: String) throws -> Int {
      guard let position = index[column] else {
        throw MonitoringError("the stored encoding reads column '\(column)', which its raw columns do not list", hint: "re-import the dataset")
      }
      return position
    }
    numericColumns = Array(Set(try encoding.blocks.filter { $0.kind == .numeric }.map { try position($0.column) })).sorted()
    blockColumns = Array(Set(try encoding.blocks.map { try position($0.column) })).sorted()
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

  /// The record's values in `rawColumns` order (`nil` for missing), or the reason it cannot be encoded.
  func row(of fields: [String]) -> Result<[String?], RowRejection> {
    var fields = fields
    if fields.count != fieldCount {
      // A file without header may leave out the label column.
      if !hasHeader, fields.count == fieldCount - 1, let labelColumn {
        fields.insert(encoding.missingTokens.first ?? "", at: labelColumn)
      } else {
        return .failure(RowRejection("expected \(fieldCount) fields but found \(fields.count)"))
      }
    }
    let row: [String?] = fieldIndex.map { index in
      guard let index else { return nil }
      let value = fields[index]
      return missing.contains(value) ? nil : value
    }
    if encoding.missingPolicy == .drop, let column = blockColumns.first(where: { row[$0] == nil }) {
      return .failure(RowRejection("column '\(encoding.rawColumns[column])' is missing (the dataset drops rows with missing values)"))
    }
    for column in numericColumns {
      guard let text = row[column] else { continue }
      guard let number = Double(text), number.isFinite else {
        return .failure(RowRejection("column '\(encoding.rawColumns[column])': cannot parse '\(text)' as a finite number"))
      }
    }
    return .success(row)
  }
}

/// Why a raw row was not scored.
struct RowRejection: Error {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}
