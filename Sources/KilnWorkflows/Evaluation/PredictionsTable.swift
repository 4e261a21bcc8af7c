import Foundation

/// A CSV file of predictions read into columns of text, with the header naming the columns.
///
/// Format: RFC 4180 — comma-separated, the first line a header, fields optionally quoted with
/// `"` (a doubled `""` inside quotes is one quote), LF or CRLF line ends; blank lines are skipped.
public struct PredictionsTable: Sendable {
  /// The file's path, for messages.
  public let path: String
  /// Column names in file order.
  public let columnNames: [String]
  /// Each column's values, aligned with `lineNumbers`.
  public let columns: [[String]]
  /// The file line of each data row (the header is line 1).
  public let lineNumbers: [Int]

  /// Number of data rows.
  public var rowCount: Int { lineNumbers.count }

  /// Reads and splits `url`.
  /// - Throws: `PredictionsInputError` when the file cannot be read, has no header, or a row
  ///   has a different number of fields than the header.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw PredictionsInputError(path: url.path, message: "cannot read the file: \(error.localizedDescription)",
                                  hint: "check the path and permissions")
    }
    try self.init(text: String(decoding: data, as: UTF8.self), path: url.path)
  }

  /// Splits CSV `text`; `path` names it in messages.
  public init(text: String, path: String) throws {
    self.path = path
    let records = Self.records(in: text)
    guard let header = records.first else {
      throw PredictionsInputError(path: path, message: "the file is empty", hint: "the first line must name the columns")
    }
    columnNames = header.fields
    var columns = [[String]](repeating: [], count: header.fields.count)
    var lineNumbers: [Int] = []
    for record in records.dropFirst() {
      guard record.fields.count == header.fields.count else {
        throw PredictionsInputError(path: path, line: record.line,
                                    message: "expected \(header.fields.count) fields as in the header, found \(record.fields.count)",
                                    hint: "check the delimiter and quoting on that line")
      }
      for (index, field) in record.fields.enumerated() { columns[index].append(field) }
      lineNumbers.append(record.line)
    }
    self.columns = columns
    self.lineNumbers = lineNumbers
  }

  /// The values of the column named `name`.
  /// - Throws: `PredictionsInputError` naming the column and the columns that exist.
  public func column(_ name: String, role: String) throws -> [String] {
    guard let index = columnNames.firstIndex(of: name) else {
      throw PredictionsInputError(path: path, column: name,
                                  message: "\(role) column \"\(name)\" does not exist",
                                  hint: "columns are: \(columnNames.joined(separator: ", "))")
    }
    return columns[index]
  }

  /// Splits text into records of fields, each with the line it starts on; blank lines skipped.
  static func records(in text: String) -> [(line: Int, fields: [String])] {
    var records: [(line: Int, fields: [String])] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var inQuotes = false, fieldWasQuoted = false
    var line = 1, recordLine = 1
    let bytes = Array(text.utf8)
    var index = 0
    func finishField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      fieldWasQuoted = false
    }
    func finishRecord() {
      finishField()
      if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
      fields.removeAll(keepingCapacity: true)
    }
    while index < bytes.count {
      let byte = bytes[index]
      if inQuotes {
        if byte == UInt8(ascii: "\"") {
          if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
            field.append(byte)
            index += 1
          } else {
            inQuotes = false
          }
        } else {
          if byte == UInt8(ascii: "\n") { line += 1 }
          field.append(byte)
        }
      } else if byte == UInt8(ascii: "\"") && field.isEmpty && !fieldWasQuoted {
        inQuotes = true
        fieldWasQuoted = true
      } else if byte == UInt8(ascii: ",") {
        finishField()
      } else if byte == UInt8(ascii: "\n") {
        finishRecord()
        line += 1
        recordLine = line
      } else if byte != UInt8(ascii: "\r") || !(index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")) {
        field.append(byte)
      }
      index += 1
    }
    if !field.isEmpty || !fields.isEmpty { finishRecord() }
    return records
  }
}

/// Bad predictions input: says what failed, where (file, line, column) and what to do.
public struct PredictionsInputError: Error, CustomStringConvertible, Equatable {
  /// The file.
  public var path: String
  /// The file line (1 is the header), when the problem is on one line.
  public var line: Int?
  /// The column, when the problem is in one column.
  public var column: String?
  /// What is wrong.
  public var message: String
  /// What to do about it.
  public var hint: String

  public init(path: String, line: Int? = nil, column: String? = nil, message: String, hint: String) {
    self.path = path
    self.line = line
    self.column = column
    self.message = message
    self.hint = hint
  }

  public var description: String {
    var location = path
    if let line { location += ":\(line)" }
    if let column { location += " column \"\(column)\"" }
    return "\(location): \(message) (hint: \(hint))"
  }
}
