import KilnData

/// Splits and checks raw lines against a dataset's encoding before encoding them, so that a bad
/// row is rejected with a reason rather than failing the whole batch.
struct RawRowParser {
  let encoding: DatasetEncoding
  let format: DatasetRecipe.RawFormat
  /// For each raw column, its field index in the input (`nil`: absent, read as missing).
  private(set) var fieldIndex: [Int?]
  private(set) var fieldCount: Int
  private(set) var needsHeader: Bool
  private let missing: Set<String>
  private let numericColumns: [Int]
  private let requiredColumns: [Int]
  private let fill: String
  private let delimiter: Character
  /// The delimiter's byte when it is one ASCII character (the fast path of `fields(of:)`).
  private let delimiterByte: UInt8?
  /// Raw columns read by a feature block (a missing value there drops the row under `drop`).
  private let blockColumns: Set<Int>

  init(encoding: DatasetEncoding) throws {
    guard let format = encoding.format else {
      throw MonitoringError("the stored encoding does not describe the raw file format", hint: "re-import the dataset")
    }
    self.encoding = encoding
    self.format = format
    missing = Set(encoding.missingTokens)
    fill = encoding.missingTokens.first ?? ""
    // A stored encoding is read from a file, so it is checked like input.
    guard format.delimiter.count == 1, let delimiter = format.delimiter.first else {
      throw MonitoringError("the stored encoding's delimiter '\(format.delimiter)' is not one character", hint: "re-import the dataset")
    }
    self.delimiter = delimiter
    delimiterByte = format.delimiter.utf8.count == 1 ? format.delimiter.utf8.first.flatMap { $0 < 0x80 ? $0 : nil } : nil
    let index = Dictionary(encoding.rawColumns.enumerated().map { ($1, $0) }) { first, _ in first }
    func position(_ column: String) throws -> Int {
      guard let position = index[column] else {
        throw MonitoringError("the stored encoding reads column '\(column)', which its raw columns do not list", hint: "re-import the dataset")
      }
      return position
    }
    numericColumns = Array(Set(try encoding.blocks.filter { $0.kind == .numeric }.map { try position($0.column) })).sorted()
    blockColumns = Set(try encoding.blocks.map { try position($0.column) })
    requiredColumns = Array(Set(try encoding.blocks.map { try position($0.column) } + encoding.sensitive.map { try position($0.column) })).sorted()
    fieldIndex = encoding.rawColumns.indices.map { $0 }
    fieldCount = encoding.rawColumns.count
    needsHeader = format.header
  }

  /// Whether a line is skipped (blank, or starting with a skip prefix).
  func skips(_ line: String) -> Bool {
    line.allSatisfy { $0 == " " || $0 == "\t" } || (format.skipLinesStartingWith ?? []).contains { line.hasPrefix($0) }
  }

  func fields(of line: String) -> [String] {
    guard let byte = delimiterByte else {
      return line.split(separator: delimiter, omittingEmptySubsequences: false).map(Self.trimmed)
    }
    // An ASCII delimiter: split the UTF-8 bytes (no grapheme breaking, the costliest part of the
    // parse); fields are cut at ASCII bytes only, so every slice is valid UTF-8.
    var fields: [String] = []
    fields.reserveCapacity(fieldCount)
    var utf8 = line
    utf8.withUTF8 { bytes in
      var start = 0
      for index in 0...bytes.count where index == bytes.count || bytes[index] == byte {
        var lower = start, upper = index
        while lower < upper && (bytes[lower] == UInt8(ascii: " ") || bytes[lower] == UInt8(ascii: "\t")) { lower += 1 }
        while upper > lower && (bytes[upper - 1] == UInt8(ascii: " ") || bytes[upper - 1] == UInt8(ascii: "\t")) { upper -= 1 }
        fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self))
        start = index + 1
      }
    }
    return fields
  }

  /// The field without surrounding spaces and tabs (cheaper than Foundation's character sets).
  static func trimmed(_ field: Substring) -> String {
    guard let first = field.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
    let last = field.lastIndex(where: { $0 != " " && $0 != "\t" })!
    return String(field[first...last])
  }

  /// Reads the header line: maps raw columns to fields by name.
  /// - Throws: `MonitoringError` naming the columns the model needs that the header lacks.
  mutating func readHeader(_ line: String, file: String, lineNumber: Int) throws {
    let names = fields(of: line)
    fieldIndex = encoding.rawColumns.map { names.firstIndex(of: $0) }
    fieldCount = names.count
    needsHeader = false
    let absent = requiredColumns.filter { fieldIndex[$0] == nil }.map { encoding.rawColumns[$0] }
    if !absent.isEmpty {
      throw MonitoringError("\(file):\(lineNumber): the header lacks column\(absent.count == 1 ? "" : "s") \(absent.joined(separator: ", "))",
                            hint: "the model reads \(requiredColumns.map { encoding.rawColumns[$0] }.joined(separator: ", "))")
    }
  }

  /// The row's fields in `rawColumns` order, or the reason it cannot be encoded.
  func parse(_ line: String) -> Result<[String], RowRejection> {
    var values = fields(of: line)
    if values.count != fieldCount {
      // A file without header may leave out the label column.
      if !format.header, values.count == fieldCount - 1, let label = encoding.label,
         let labelIndex = encoding.rawColumns.firstIndex(of: label.column) {
        values.insert(fill, at: labelIndex)
      } else {
        return .failure(RowRejection("expected \(fieldCount) fields but found \(values.count)"))
      }
    }
    let row = fieldIndex.map { $0.map { values[$0] } ?? fill }
    if encoding.missingPolicy == .drop {
      for column in requiredColumns where blockColumns.contains(column) && missing.contains(row[column]) {
        return .failure(RowRejection("column '\(encoding.rawColumns[column])' is missing (the dataset drops rows with missing values)"))
      }
    }
    for column in numericColumns where !missing.contains(row[column]) {
      guard let number = Double(row[column]), number.isFinite else {
        return .failure(RowRejection("column '\(encoding.rawColumns[column])': cannot parse '\(row[column])' as a finite number"))
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
