import Foundation

/// Kiln's one reader of delimited text (RFC 4180 CSV and its relatives), streaming: the file is
/// read in chunks, so files larger than memory can be scored record by record.
///
/// The rules, those of pandas' `read_csv` (C engine) unless said otherwise:
/// - records end at LF, CRLF or CR; a UTF-8 byte order mark at the start is dropped;
/// - a field starting with the quote character is quoted: delimiters and line breaks inside it are
///   data, a doubled quote is one quote; characters after the closing quote (before the next
///   delimiter) are appended; a quote inside an unquoted field is an ordinary character;
///   `"red"` and `red` are the same value;
/// - blank lines, lines starting with the comment character or a skipped prefix are skipped; outside
///   quotes, the comment character ends a line's content;
/// - with `trimsSpaces`, spaces and tabs around a field (outside its quotes) are removed;
/// - the header's names must be distinct (an empty name becomes `Unnamed: i`, as in pandas);
/// - not as pandas, which pads short rows and renames duplicated columns: `readTable` refuses a
///   record whose field count differs from the header's, and a duplicated name, each with its line;
/// - text that is not valid UTF-8 (after transcoding from the declared encoding) is an error with
///   its line and column; a field longer than `maximumFieldBytes` or a record with more than
///   `maximumColumns` fields is an error naming the limit.
///
/// Each record carries the physical line it starts on.
public final class DelimitedReader {
  public let format: DelimitedFormat
  /// The column names: the header's, or those given; empty when neither is known.
  public private(set) var columns: [String]
  /// The file, for messages.
  public var file: String { input.name }
  /// The physical line of the header, when the file has one.
  public private(set) var headerLine: Int?

  private let input: DelimitedInput
  private var buffer: [UInt8] = []
  /// Where the next record starts in `buffer`.
  var position = 0
  /// Whether the input is exhausted (the buffer holds the rest of the file).
  var isAtEnd = false
  /// The physical line at `position`.
  var line = 1
  /// Bytes of a field assembled from several pieces (doubled quotes, text after a closing quote).
  var scratch: [UInt8] = []

  /// Opens `url`, reading the header when `header` is true.
  /// - Parameters:
  ///   - header: whether the first record names the columns.
  ///   - columns: column names to use instead of the header's (required to know the width of a
  ///     file without a header; `nil` leaves records unchecked).
  /// - Throws: `DatasetError` for a missing file, a file without a header line, or a header with
  ///   a duplicated name.
  public convenience init(url: URL, format: DelimitedFormat = .csv, header: Bool = true, columns: [String]? = nil) throws {
    try self.init(input: DelimitedInput(url: url, encoding: format.encoding), format: format, header: header, columns: columns)
  }

  /// Reads `bytes` as if they were the file `name`, handed to the parser `chunkSize` bytes at a time.
  public convenience init(bytes: [UInt8], name: String, format: DelimitedFormat = .csv, header: Bool = true,
                          columns: [String]? = nil, chunkSize: Int = 1 << 20) throws {
    try self.init(input: DelimitedInput(bytes: bytes, name: name, encoding: format.encoding, chunkSize: chunkSize),
                  format: format, header: header, columns: columns)
  }

  private init(input: DelimitedInput, format: DelimitedFormat, header: Bool, columns: [String]?) throws {
    self.input = input
    self.format = format
    self.columns = []
    while buffer.count < 3 && !isAtEnd { try fill() }
    if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    if header {
      guard let names = try nextRecord() else {
        throw DatasetError(.emptyFile, "\(file): the file is empty; a header line naming the columns was expected",
                           hint: "check that the right file is named, or set format.header to false")
      }
      headerLine = names.line
      self.columns = names.fields.enumerated().map { index, name in name.isEmpty ? "Unnamed: \(index)" : name }
      try Self.checkDistinct(self.columns, file: file, line: names.line, role: "header")
    }
    if let columns {
      try Self.checkDistinct(columns, file: file, line: nil, role: "format.columns")
      self.columns = columns
    }
  }

  /// SHA-256 (hex) of the file's bytes as stored (compressed, if it is): of the whole file once
  /// `nextRecord()` returned `nil`.
  public var fingerprint: String { input.fingerprint }

  /// The next data record, of any width, or `nil` at the end of the file.
  /// - Throws: `DatasetError` for an unclosed quote, invalid UTF-8 or a limit exceeded.
  public func nextRecord() throws -> DelimitedRecord? {
    while true {
      let scan = try buffer.withUnsafeBufferPointer { bytes in try scanRecord(bytes) }
      switch scan {
      case .record(let fields, let startLine, let end, let endLine):
        position = end
        line = endLine
        return DelimitedRecord(fields: fields, line: startLine)
      case .skipped(let end, let endLine):
        position = end
        line = endLine
      case .needMore:
        if isAtEnd { return nil }
        try fill()
      }
    }
  }

  /// The next data record, checked to be as wide as the header (or the given columns).
  /// - Throws: `DatasetError(.malformedRow)` naming the line and both counts.
  public func nextCheckedRecord() throws -> DelimitedRecord? {
    guard let record = try nextRecord() else { return nil }
    try check(record)
    return record
  }

  /// Throws when `record` is not as wide as the columns (unchecked when no columns are known).
  public func check(_ record: DelimitedRecord) throws {
    guard !columns.isEmpty, record.fields.count != columns.count else { return }
    throw DatasetError(.malformedRow, "\(file):\(record.line): expected \(columns.count) fields, found \(record.fields.count)",
                       hint: fieldCountHint)
  }

  /// What to check when a record's width is wrong.
  var fieldCountHint: String {
    let delimiter = format.delimiter == UInt8(ascii: "\t") ? "\\t" : String(UnicodeScalar(format.delimiter))
    let quote = format.quote.map { String(UnicodeScalar($0)) }
    return "check the delimiter ('\(delimiter)')" + (quote.map { ", the quoting (fields holding '\(delimiter)' must be quoted with \($0))" } ?? "")
      + " and the column list on that line"
  }

  /// Reads every record of `url`, each checked to be as wide as the header.
  public static func readTable(_ url: URL, format: DelimitedFormat = .csv, header: Bool = true, columns: [String]? = nil) throws -> DelimitedTable {
    let reader = try DelimitedReader(url: url, format: format, header: header, columns: columns)
    return try reader.readTable()
  }

  /// Reads the remaining records, each checked to be as wide as the header.
  public func readTable() throws -> DelimitedTable {
    var records: [DelimitedRecord] = []
    while let record = try nextCheckedRecord() { records.append(record) }
    return DelimitedTable(file: file, columns: columns, records: records)
  }

  private static func checkDistinct(_ names: [String], file: String, line: Int?, role: String) throws {
    var first: [String: Int] = [:]
    for (index, name) in names.enumerated() {
      if let earlier = first[name] {
        let place = line.map { "\(file):\($0)" } ?? file
        throw DatasetError(.duplicateColumn, "\(place): column '\(name)' appears twice in the \(role), as column \(earlier + 1) and column \(index + 1)",
                           hint: "give every column a distinct name (in the file's header, or through format.columns with format.header: true)")
      }
      first[name] = index
    }
  }

  /// Moves the unread bytes to the front and appends the next chunk.
  private func fill() throws {
    if position > 0 {
      buffer.removeSubrange(0..<position)
      position = 0
    }
    if try input.append(to: &buffer) == 0 { isAtEnd = true }
  }
}
