import Foundation

/// Raw rows encoded with a stored encoding.
public struct EncodedRows: Sendable, Equatable {
  /// Row-major features, `rowCount × featureCount`.
  public var features: [Float]
  public var rowCount: Int
  public var featureCount: Int
  /// For each encoded row, the index of the raw row it came from (rows dropped for missing
  /// values under the drop policy are absent).
  public var sourceRows: [Int]
  /// Sensitive codes per attribute name, one per encoded row.
  public var sensitive: [String: [Int32]]
  /// Per raw column, how many values fell into the unknown-category bucket.
  public var unknownCounts: [String: Int]
  /// Class codes (binary: 1 = positive; multiclass: index into the classes) when the encoding
  /// knows a classification label column and every encoded row's label is one of its classes;
  /// otherwise `nil` (e.g. unlabelled rows to score).
  public var labels: [Int32]?
  /// Regression targets when the encoding knows a regression label column and every encoded
  /// row's target is a finite number; otherwise `nil`.
  public var targets: [Float]? = nil
}

extension DatasetEncoding {
  /// Encodes raw string rows (fields in `rawColumns` order, untrimmed tokens allowed).
  ///
  /// Numerics are standardised with the train statistics, categoricals one-hot encoded with
  /// unseen values in the unknown bucket; missing values are imputed or, under the drop policy,
  /// the row is left out (see `sourceRows`).
  /// - Throws: `DatasetError` naming the row and column when a row has the wrong number of
  ///   fields or a numeric field does not parse.
  public func encode(rawRows: [[String]]) throws -> EncodedRows {
    let missing = Set(missingTokens)
    let parsed: [[String?]] = try rawRows.enumerated().map { index, row in
      guard row.count == rawColumns.count else {
        throw DatasetError(.malformedRow, "raw row \(index): expected \(rawColumns.count) fields, found \(row.count)")
      }
      return row.map { field in
        let trimmed = Self.trimmedOfWhitespace(field)
        return missing.contains(trimmed) ? nil : trimmed
      }
    }
    return try encode(parsedRows: parsed, describeRow: { "raw row \($0)" })
  }

  /// `field` without surrounding whitespace (`CharacterSet.whitespaces`). A field whose first and
  /// last bytes are ASCII other than space and tab is returned as is, without Foundation's
  /// trimming, which cost more than the rest of encoding together when scoring raw rows.
  static func trimmedOfWhitespace(_ field: String) -> String {
    guard let first = field.utf8.first, let last = field.utf8.last else { return field }
    func plain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") }
    return plain(first) && plain(last) ? field : field.trimmingCharacters(in: .whitespaces)
  }

  /// Encodes rows already split and trimmed, `nil` for missing; `describeRow` names a row in errors.
  public func encode(parsedRows: [[String?]], describeRow: (Int) -> String) throws -> EncodedRows {
    let columnIndex = Dictionary(uniqueKeysWithValues: rawColumns.enumerated().map { ($1, $0) })
    var encoder = RowEncoder(self)
    var result = EncodedRows(features: [], rowCount: 0, featureCount: encoder.width, sourceRows: [],
                             sensitive: [:], unknownCounts: [:], labels: nil)
    result.features.reserveCapacity(parsedRows.count * encoder.width)
    var sensitiveCodes = sensitive.map { _ in [Int32]() }
    let sensitivePositions = sensitive.map(\.categories).map(Self.positions)
    let sensitiveColumns = sensitive.map { columnIndex[$0.column]! }
    for (rowIndex, fields) in parsedRows.enumerated() {
      switch encoder.append({ fields[$0] }, to: &result.features) {
      case .missing?: continue
      case .notANumber(let column, let text)?:
        throw DatasetError(.unparsableNumber, "\(describeRow(rowIndex)), column '\(column)': cannot parse '\(text)' as a finite number",
                           hint: missingTokens.isEmpty ? "correct the value"
                             : "correct the value, or write one of the dataset's missing tokens (\(missingTokens.joined(separator: ", "))) there")
      case nil: break
      }
      result.sourceRows.append(rowIndex)
      for (index, attribute) in sensitive.enumerated() {
        let group = attribute.derivation.group(of: fields[sensitiveColumns[index]])
        sensitiveCodes[index].append(group.flatMap { sensitivePositions[index][$0] }.map(Int32.init) ?? -1)
      }
    }
    result.unknownCounts = encoder.unknownCounts
    result.rowCount = result.sourceRows.count
    for (index, attribute) in sensitive.enumerated() { result.sensitive[attribute.name] = sensitiveCodes[index] }
    if let label, let labelColumn = columnIndex[label.column] {
      if label.kind == .regression {
        let targets = result.sourceRows.map { labelTarget(parsedRows[$0][labelColumn], label) }
        result.targets = targets.contains(nil) ? nil : targets.map { $0! }
      } else {
        let codes = result.sourceRows.map { labelCode(parsedRows[$0][labelColumn], label) }
        result.labels = codes.contains(nil) ? nil : codes.map { $0! }
      }
    }
    return result
  }

  /// Each name's position (the first, should a name repeat).
  static func positions(_ names: [String]) -> [String: Int] {
    Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// Reads a raw file laid out as the imported ones were and encodes its rows; errors name the
  /// file, line and field. A header-less layout may start with a row of the column names (as
  /// `kiln dataset export` writes), which is skipped.
  public func encode(csvFile url: URL) throws -> EncodedRows {
    guard let format else {
      throw DatasetError(.invalidDataset, "the stored encoding does not describe the raw file format", hint: "re-import the dataset")
    }
    var table = try format.readTable(url)
    let missing = Set(missingTokens)
    if !format.header, let first = table.records.first, isColumnHeader(first.fields.map { missing.contains($0) ? nil : $0 }) {
      table.records.removeFirst()
    }
    guard table.columns == rawColumns else {
      throw DatasetError(.malformedRow, "\(url.path): columns \(table.columns) differ from the imported \(rawColumns)",
                         hint: "write the file with the imported dataset's columns, in the same order")
    }
    let rows = table.records.map { record in record.fields.map { missing.contains($0) ? nil : $0 } }
    return try encode(parsedRows: rows) { "\(url.path):\(table.records[$0].line)" }
  }

  private func labelCode(_ value: String?, _ label: DatasetRecipe.LabelSpec) -> Int32? {
    guard let value else { return nil }
    let normalized = label.normalized(value)
    switch label.kind {
    case .binary: return normalized == label.positive ? 1 : normalized == label.negative ? 0 : nil
    case .multiclass:
      guard case .listed(let classes) = label.classes, let index = classes.firstIndex(of: normalized) else { return nil }
      return Int32(index)
    case .regression: return nil
    }
  }

  private func labelTarget(_ value: String?, _ label: DatasetRecipe.LabelSpec) -> Float? {
    guard let value, let number = Double(label.normalized(value)), Float(number).isFinite else { return nil }
    return Float(number)
  }
}
