import Foundation

/// The rows of one raw file: trimmed fields in column order, `nil` where a missing token stood.
public struct RawTable: Sendable {
  /// The file the rows came from (for error messages).
  public var file: String
  public var columns: [String]
  public var rows: [[String?]]
  /// The 1-based line number of each row in its file.
  public var lines: [Int]

  /// The index of `column`, or `nil`.
  public func index(of column: String) -> Int? { columns.firstIndex(of: column) }
}

/// Reads delimited text files as a recipe's `format` describes them.
///
/// Fields are split on a single-character delimiter (no quoting: neither shipped dataset uses it),
/// trimmed of surrounding spaces, and compared against the missing-value tokens. Blank lines and
/// lines starting with a skip prefix are ignored.
public struct RawFileReader: Sendable {
  public var format: DatasetRecipe.RawFormat

  public init(format: DatasetRecipe.RawFormat) { self.format = format }

  /// Reads `url`, checking that every row has as many fields as there are columns.
  public func read(_ url: URL) throws -> RawTable {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw DatasetError(.missingFile, "\(url.path): raw file does not exist", hint: "check the path in the recipe (relative to the recipe's folder)")
    }
    let data = try Data(contentsOf: url)
    let text = String(decoding: data, as: UTF8.self)
    let delimiter = Character(format.delimiter)
    let missing = Set(format.missing)
    let skipPrefixes = format.skipLinesStartingWith ?? []
    var columns = format.columns ?? []
    var rows: [[String?]] = []
    var lines: [Int] = []
    var sawHeader = !format.header
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
      if skipPrefixes.contains(where: { line.hasPrefix($0) }) { continue }
      let fields = line.split(separator: delimiter, omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      if !sawHeader {
        sawHeader = true
        if format.columns == nil { columns = fields }
        continue
      }
      guard fields.count == columns.count else {
        throw DatasetError(.malformedRow, "\(url.path):\(lineNumber): expected \(columns.count) fields, found \(fields.count)",
                           hint: "check the delimiter ('\(format.delimiter)') and the column list")
      }
      rows.append(fields.map { missing.contains($0) ? nil : $0 })
      lines.append(lineNumber)
    }
    guard !rows.isEmpty else {
      throw DatasetError(.emptyFile, "\(url.path): the file has no data rows", hint: "check that the right file is named in the recipe")
    }
    return RawTable(file: url.path, columns: columns, rows: rows, lines: lines)
  }
}
