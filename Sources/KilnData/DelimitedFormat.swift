/// How a delimited text file (CSV, TSV, …) is written: the bytes that separate and quote fields,
/// comments, the text encoding, and the limits that keep a hostile file from exhausting memory.
///
/// The defaults are RFC 4180 CSV as pandas' `read_csv` reads it: `,` between fields, `"` around
/// fields that hold a delimiter, a quote or a line break (a quote inside is doubled), UTF-8.
public struct DelimitedFormat: Sendable, Equatable {
  /// The text encodings a file may be in; the reader hands out UTF-8 either way.
  public enum TextEncoding: String, Codable, Sendable, Equatable, CaseIterable {
    case utf8 = "utf-8"
    /// ISO-8859-1: every byte is the code point of the same value.
    case latin1 = "latin-1"

    /// The encoding a recipe names, accepting the spellings Python accepts for these two.
    public init?(name: String) {
      switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
      case "utf-8", "utf8": self = .utf8
      case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1": self = .latin1
      default: return nil
      }
    }
  }

  /// The byte between fields (an ASCII character).
  public var delimiter: UInt8
  /// The byte that quotes a field, or `nil` for none (quotes are then ordinary characters).
  public var quote: UInt8?
  /// Outside quotes, this byte ends the line's content; a line starting with it is skipped.
  public var comment: UInt8?
  /// Lines starting with one of these byte strings are skipped (before any parsing).
  public var skippedLinePrefixes: [[UInt8]]
  /// Whether spaces and tabs around a field (outside its quotes) are removed.
  public var trimsSpaces: Bool
  public var encoding: TextEncoding
  /// The longest field accepted, in bytes of UTF-8.
  public var maximumFieldBytes: Int
  /// The most fields a record may have.
  public var maximumColumns: Int

  public static let defaultMaximumFieldBytes = 1 << 20
  public static let defaultMaximumColumns = 10_000

  public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8? = UInt8(ascii: "\""), comment: UInt8? = nil,
              skippedLinePrefixes: [[UInt8]] = [], trimsSpaces: Bool = false, encoding: TextEncoding = .utf8,
              maximumFieldBytes: Int = DelimitedFormat.defaultMaximumFieldBytes,
              maximumColumns: Int = DelimitedFormat.defaultMaximumColumns) {
    precondition(delimiter < 0x80 && delimiter != UInt8(ascii: "\n") && delimiter != UInt8(ascii: "\r"),
                 "DelimitedFormat: the delimiter must be an ASCII character other than a line break")
    precondition(quote.map { $0 < 0x80 && $0 != delimiter } ?? true, "DelimitedFormat: the quote must be ASCII and differ from the delimiter")
    precondition(maximumFieldBytes > 0 && maximumColumns > 0, "DelimitedFormat: limits must be positive")
    self.delimiter = delimiter
    self.quote = quote
    self.comment = comment
    self.skippedLinePrefixes = skippedLinePrefixes
    self.trimsSpaces = trimsSpaces
    self.encoding = encoding
    self.maximumFieldBytes = maximumFieldBytes
    self.maximumColumns = maximumColumns
  }

  /// RFC 4180 CSV, as pandas reads it by default.
  public static let csv = DelimitedFormat()
}

/// One record of a delimited file: its fields, unquoted, and the physical line it starts on.
public struct DelimitedRecord: Sendable, Equatable {
  /// The fields in file order; a quoted field's quotes are gone (`"red"` and `red` are equal).
  public var fields: [String]
  /// The 1-based physical line the record starts on (a quoted field may span several lines).
  public var line: Int

  public init(fields: [String], line: Int) {
    self.fields = fields
    self.line = line
  }
}

/// A whole delimited file: its column names and every data record, each as wide as the header.
public struct DelimitedTable: Sendable, Equatable {
  /// The file the records came from (for messages).
  public var file: String
  public var columns: [String]
  public var records: [DelimitedRecord]

  public init(file: String, columns: [String], records: [DelimitedRecord]) {
    self.file = file
    self.columns = columns
    self.records = records
  }

  /// The index of `column`, or `nil`.
  public func index(of column: String) -> Int? { columns.firstIndex(of: column) }
}
