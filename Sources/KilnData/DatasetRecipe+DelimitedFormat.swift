import Foundation

extension DatasetRecipe.RawFormat {
  /// The reader's format for these raw files.
  /// - Throws: `DatasetError(.invalidRecipe)` naming the `format.` key whose value is unusable.
  public func delimitedFormat() throws -> DelimitedFormat {
    try delimitedFormat { key, message, hint in
      DatasetError(.invalidRecipe, "format.\(key): \(message)", hint: hint)
    }
  }

  /// The reader's format; `fail` makes the error for a key (its name below `format`), a message and a hint.
  package func delimitedFormat(_ fail: (String, String, String?) -> DatasetError) throws -> DelimitedFormat {
    func asciiCharacter(_ key: String, _ text: String) throws -> UInt8 {
      let bytes = Array(text.utf8)
      guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != UInt8(ascii: "\n"), bytes[0] != UInt8(ascii: "\r") else {
        throw fail(key, "must be one ASCII character other than a line break, got '\(text)'", "e.g. ',', ';', '|' or a tab (\"\\t\")")
      }
      return bytes[0]
    }
    let delimiter = try asciiCharacter("delimiter", self.delimiter)
    var quoteByte: UInt8? = UInt8(ascii: "\"")
    if let quote {
      quoteByte = quote == "none" ? nil : try asciiCharacter("quote", quote)
      if quoteByte == delimiter { throw fail("quote", "the quote and the delimiter are both '\(quote)'", nil) }
    }
    let commentByte = try comment.map { try asciiCharacter("comment", $0) }
    if let commentByte, commentByte == delimiter || commentByte == quoteByte {
      throw fail("comment", "the comment character '\(comment!)' is also the delimiter or the quote", nil)
    }
    var textEncoding = DelimitedFormat.TextEncoding.utf8
    if let encoding {
      guard let named = DelimitedFormat.TextEncoding(name: encoding) else {
        throw fail("encoding", "unknown text encoding '\(encoding)'", "use utf-8 or latin-1 (iso-8859-1); convert other encodings to UTF-8 first")
      }
      textEncoding = named
    }
    if let maxFieldBytes, maxFieldBytes <= 0 { throw fail("max_field_bytes", "must be positive, got \(maxFieldBytes)", nil) }
    if let maxColumns, maxColumns <= 0 { throw fail("max_columns", "must be positive, got \(maxColumns)", nil) }
    return DelimitedFormat(delimiter: delimiter, quote: quoteByte, comment: commentByte,
                           skippedLinePrefixes: (skipLinesStartingWith ?? []).map { Array($0.utf8) },
                           trimsSpaces: trimSpaces ?? true, encoding: textEncoding,
                           maximumFieldBytes: maxFieldBytes ?? DelimitedFormat.defaultMaximumFieldBytes,
                           maximumColumns: maxColumns ?? DelimitedFormat.defaultMaximumColumns)
  }

  /// Opens `url` for reading as these raw files are written: header or given column names.
  public func reader(for url: URL) throws -> DelimitedReader {
    try DelimitedReader(url: url, format: delimitedFormat(), header: header, columns: columns)
  }

  /// Reads every record of `url`, each checked to be as wide as the columns.
  public func readTable(_ url: URL) throws -> DelimitedTable {
    try reader(for: url).readTable()
  }
}
