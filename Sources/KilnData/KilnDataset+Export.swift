import Foundation

/// A split's raw rows as they were in the source files (`kiln dataset export`).
public struct RawRowExport: Sendable, Equatable {
  /// The raw column names joined by the files' delimiter.
  public var header: String
  /// Each stored row's source record, its fields as the reader read them and written back with
  /// the files' delimiter (quoted where a field holds the delimiter, a quote or a line break), in
  /// stored order.
  public var lines: [String]
  /// `file:line` of each row, in the same order.
  public var origins: [String]
  /// The raw files the rows came from, as recorded (relative to the dataset file's folder).
  public var files: [String] = []

  /// The header and the rows, one per line.
  public var text: String { ([header] + lines).map { $0 + "\n" }.joined() }
}

extension KilnDataset {
  /// Reads back the raw rows a split was made of, from the files and lines stored in `/source`.
  ///
  /// The raw files are found relative to the dataset file's folder as they were at import, and
  /// must hash to the digests recorded then: a changed file's lines would no longer be the rows
  /// that were imported.
  /// - Throws: `DatasetError` for a file written before datasets kept row sources, a raw file
  ///   that is missing or changed, or an unknown split.
  public func exportRawRows(split: String) throws -> RawRowExport {
    let indices = try splitIndices(split)
    guard let source = try rowSources() else {
      throw DatasetError(.invalidDataset, "\(url.path): the file does not record where its rows came from (it was imported before datasets kept each row's source)",
                         hint: "re-import it with `kiln dataset import datasets/\(metadata.header.name)/dataset.yaml`")
    }
    guard let encoding = metadata.encoding, let format = encoding.format else {
      throw DatasetError(.invalidDataset, "\(url.path): the stored encoding does not describe the raw file format", hint: "re-import the dataset")
    }
    let delimited = try format.delimitedFormat()
    var fileRecords: [Int32: [Int: [String]]] = [:]
    var export = RawRowExport(header: Self.delimitedLine(encoding.rawColumns, format: delimited), lines: [], origins: [])
    export.lines.reserveCapacity(indices.count)
    for row in indices {
      let code = source.fileCodes[row]
      let line = Int(source.lines[row])
      let records: [Int: [String]]
      if let known = fileRecords[code] {
        records = known
      } else {
        records = try recordsByLine(of: source, file: Int(code), format: format)
        fileRecords[code] = records
      }
      guard let fields = records[line] else {
        throw DatasetError(.invalidDataset, "\(url.path): row \(row) comes from line \(line) of \(source.files[Int(code)]), where no record starts",
                           hint: "re-import the dataset")
      }
      export.lines.append(Self.delimitedLine(fields, format: delimited))
      export.origins.append("\(source.files[Int(code)]):\(line)")
    }
    export.files = fileRecords.keys.sorted().map { source.files[Int($0)] }
    return export
  }

  /// Fields joined by the format's delimiter; a field holding the delimiter, the quote, a line
  /// break or edge spaces is quoted (quotes doubled), so the reader reads it back unchanged.
  static func delimitedLine(_ fields: [String], format: DelimitedFormat) -> String {
    let delimiter = Character(UnicodeScalar(format.delimiter))
    guard let quoteByte = format.quote else { return fields.joined(separator: String(delimiter)) }
    let quote = Character(UnicodeScalar(quoteByte))
    return fields.map { field in
      let needsQuotes = field.contains(delimiter) || field.contains(quote) || field.contains("\n") || field.contains("\r")
        || field.first == " " || field.last == " "
      guard needsQuotes else { return field }
      return String(quote) + field.replacingOccurrences(of: String(quote), with: String(quote) + String(quote)) + String(quote)
    }.joined(separator: String(delimiter))
  }

  /// The records of a source file by the physical line each starts on, read by the same reader as
  /// at import (gzip, encodings, quoted line breaks), after checking the file's recorded digest.
  private func recordsByLine(of source: RowSources, file index: Int, format: DatasetRecipe.RawFormat) throws -> [Int: [String]] {
    let path = source.files[index]
    let file = path.hasPrefix("/") ? URL(fileURLWithPath: path) : url.deletingLastPathComponent().appendingPathComponent(path)
    guard FileManager.default.fileExists(atPath: file.path) else {
      throw DatasetError(.missingFile, "\(file.path): raw file of \(url.lastPathComponent) does not exist (recorded as '\(path)')",
                         hint: "the raw files must stay where they were at import, relative to the dataset file")
    }
    let digest = try RowSources.digest(of: file)
    guard digest == source.fileDigests[index] else {
      throw DatasetError(.invalidDataset, "\(file.path): the raw file changed since \(url.lastPathComponent) was imported (SHA-256 \(digest), recorded \(source.fileDigests[index])), so its lines are no longer the imported rows",
                         hint: "restore the file as it was, or re-import the dataset")
    }
    var records: [Int: [String]] = [:]
    for record in try format.readTable(file).records { records[record.line] = record.fields }
    return records
  }
}

extension DatasetEncoding {
  /// Whether a row repeats the raw column names: the header `kiln dataset export` writes. A file
  /// laid out like a header-less source may start with one; it is not data.
  public func isColumnHeader(_ fields: [String?]) -> Bool {
    fields.count == rawColumns.count && zip(fields, rawColumns).allSatisfy { $0 == $1 }
  }
}
