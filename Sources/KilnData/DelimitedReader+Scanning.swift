/// The byte-level tokenizer: one record at a time from the buffer.
extension DelimitedReader {
  enum Scan {
    /// A record from `line`; the next one starts at `end`, on `endLine`.
    case record(fields: [String], line: Int, end: Int, endLine: Int)
    /// A blank, comment or skipped line.
    case skipped(end: Int, endLine: Int)
    /// The buffer ends inside the record (or is empty): read more, or stop at the end of the file.
    case needMore
  }

  private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
  private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

  /// Scans the record at `position`. A record cut by the end of the buffer is scanned again from
  /// its start once more bytes are in (a chunk holds thousands of records, so this costs little).
  func scanRecord(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Scan {
    let count = bytes.count
    var index = position
    var line = self.line
    guard index < count else { return .needMore }
    let recordLine = line
    let more = !isAtEnd

    /// The end of the line starting the search at `from` (the index after its terminator), or nil.
    func endOfLine(from start: Int) -> (end: Int, lines: Int)? {
      var cursor = start
      while cursor < count {
        let byte = bytes[cursor]
        if byte == Self.newline { return (cursor + 1, 1) }
        if byte == Self.carriageReturn {
          if cursor + 1 < count { return (bytes[cursor + 1] == Self.newline ? cursor + 2 : cursor + 1, 1) }
          return more ? nil : (cursor + 1, 1)
        }
        cursor += 1
      }
      return more ? nil : (count, 0)
    }

    // Whole-line skips: comment lines and skipped prefixes, before any parsing.
    if let comment = format.comment, bytes[index] == comment {
      guard let (end, lines) = endOfLine(from: index) else { return .needMore }
      return .skipped(end: end, endLine: line + lines)
    }
    for prefix in format.skippedLinePrefixes where !prefix.isEmpty {
      if count - index < prefix.count {
        if more && prefix.starts(with: UnsafeBufferPointer(rebasing: bytes[index..<count])) { return .needMore }
        continue
      }
      if prefix.elementsEqual(UnsafeBufferPointer(rebasing: bytes[index..<(index + prefix.count)])) {
        guard let (end, lines) = endOfLine(from: index) else { return .needMore }
        return .skipped(end: end, endLine: line + lines)
      }
    }

    var fields: [String] = []
    fields.reserveCapacity(max(columns.count, 8))
    var firstFieldQuoted = false
    let delimiter = format.delimiter
    let quote = format.quote
    let comment = format.comment ?? Self.newline
    let trims = format.trimsSpaces
    while true {
      // One field starts at `index`.
      if trims { while index < count && (bytes[index] == Self.space || bytes[index] == Self.tab) { index += 1 } }
      let fieldLine = line
      var start = index
      var pieces = false
      var highBits: UInt8 = 0
      if let quote, index < count, bytes[index] == quote {
        if fields.isEmpty { firstFieldQuoted = true }
        index += 1
        start = index
        scratch.removeAll(keepingCapacity: true)
        while true {
          guard index < count else {
            if scratch.count + index - start > format.maximumFieldBytes { throw fieldTooLong(line: fieldLine, column: fields.count) }
            if more { return .needMore }
            throw DatasetError(.malformedRow, "\(file):\(fieldLine): column \(fields.count + 1)\(columnName(fields.count)): a quoted field opened on this line is never closed",
                               hint: "close the quote; a quote inside a quoted field is written twice (\"\")")
          }
          let byte = bytes[index]
          if byte == quote {
            if index + 1 >= count && more { return .needMore }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            if index + 1 < count && bytes[index + 1] == quote {
              scratch.append(quote)
              index += 2
              start = index
              continue
            }
            index += 1
            break
          }
          highBits |= byte
          if byte == Self.newline {
            line += 1
          } else if byte == Self.carriageReturn {
            if index + 1 >= count && more { return .needMore }
            if !(index + 1 < count && bytes[index + 1] == Self.newline) { line += 1 }
          }
          index += 1
        }
        pieces = true
        start = index
      }
      // The unquoted part (all of an unquoted field; what follows a closing quote otherwise).
      while index < count {
        let byte = bytes[index]
        if byte == delimiter || byte == Self.newline || byte == Self.carriageReturn || byte == comment { break }
        highBits |= byte
        index += 1
      }
      if index - start + scratch.count > format.maximumFieldBytes { throw fieldTooLong(line: fieldLine, column: fields.count) }
      if index == count && more { return .needMore }
      var end = index
      if trims { while end > start && (bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab) { end -= 1 } }
      let value: String
      if pieces {
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        value = try scratch.withUnsafeBufferPointer { try makeString($0, highBits: highBits, line: fieldLine, column: fields.count) }
      } else {
        value = try makeString(UnsafeBufferPointer(rebasing: bytes[start..<end]), highBits: highBits, line: fieldLine, column: fields.count)
      }
      guard fields.count < format.maximumColumns else {
        throw DatasetError(.limitExceeded, "\(file):\(recordLine): the record has more than \(format.maximumColumns) fields (format.max_columns)",
                           hint: "check the delimiter; if the file really is this wide, raise format.max_columns in the recipe")
      }
      fields.append(value)
      // The field ends at a delimiter, a comment, a line break or the end of the file.
      if index == count { break }
      let byte = bytes[index]
      if byte == delimiter {
        index += 1
        continue
      }
      if byte == comment && byte != Self.newline {
        guard let (end, lines) = endOfLine(from: index) else { return .needMore }
        index = end
        line += lines
        break
      }
      if byte == Self.carriageReturn {
        if index + 1 >= count && more { return .needMore }
        index += index + 1 < count && bytes[index + 1] == Self.newline ? 2 : 1
      } else {
        index += 1
      }
      line += 1
      break
    }
    if fields.count == 1 && fields[0].isEmpty && !firstFieldQuoted { return .skipped(end: index, endLine: line) }
    return .record(fields: fields, line: recordLine, end: index, endLine: line)
  }

  /// The field's text; bytes with the high bit set must form valid UTF-8.
  private func makeString(_ bytes: UnsafeBufferPointer<UInt8>, highBits: UInt8, line: Int, column: Int) throws -> String {
    if highBits < 0x80 { return String(decoding: bytes, as: UTF8.self) }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      let hint = format.encoding == .utf8
        ? "the file is not UTF-8: set format.encoding in the recipe (e.g. latin-1) or convert the file to UTF-8"
        : "the bytes cannot be read in the declared encoding; check format.encoding"
      throw DatasetError(.invalidText, "\(file):\(line): column \(column + 1)\(columnName(column)): invalid UTF-8 text", hint: hint)
    }
    return text
  }

  private func fieldTooLong(line: Int, column: Int) -> DatasetError {
    DatasetError(.limitExceeded, "\(file):\(line): column \(column + 1)\(columnName(column)): the field is longer than \(format.maximumFieldBytes) bytes (format.max_field_bytes)",
                 hint: "a field this long is usually an unclosed quote; if the data is right, raise format.max_field_bytes in the recipe")
  }

  /// ` ('name')` for a known column, else nothing.
  func columnName(_ index: Int) -> String {
    index < columns.count ? " ('\(columns[index])')" : ""
  }
}
