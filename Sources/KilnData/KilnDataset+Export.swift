import Foundation

/// A split's raw rows as they were in the source files (`kiln dataset export`).
public struct RawRowExport: Sendable, Equatable {
  /// The raw column names joined by the files' delimiter.
  public var header: String
  /// Each stored row's source line, verbatim (without its line terminator), in stored order.
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
    var fileLines: [Int32: [Substring]] = [:]
    var export = RawRowExport(header: encoding.rawColumns.joined(separator: format.delimiter), lines: [], origins: [])
    export.lines.reserveCapacity(indices.count)
    for row in indices {
      let code = source.fileCodes[row]
      let line = Int(source.lines[row])
      if fileLines[code] == nil { fileLines[code] = try physicalLines(of: source, file: Int(code)) }
      let lines = fileLines[code]!
      guard line >= 1 && line <= lines.count else {
        throw DatasetError(.invalidDataset, "\(url.path): row \(row) comes from line \(line) of \(source.files[Int(code)]), which has \(lines.count) lines",
                           hint: "re-import the dataset")
      }
      export.lines.append(String(lines[line - 1]))
      export.origins.append("\(source.files[Int(code)]):\(line)")
    }
    export.files = fileLines.keys.sorted().map { source.files[Int($0)] }
    return export
  }

  /// The lines of a source file, checked against its recorded digest; a `\r` before `\n` is
  /// not part of a line.
  private func physicalLines(of source: RowSources, file index: Int) throws -> [Substring] {
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
    let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
  }
}

extension DatasetEncoding {
  /// Whether a row repeats the raw column names: the header `kiln dataset export` writes. A file
  /// laid out like a header-less source may start with one; it is not data.
  public func isColumnHeader(_ fields: [String?]) -> Bool {
    fields.count == rawColumns.count && zip(fields, rawColumns).allSatisfy { $0 == $1 }
  }
}
