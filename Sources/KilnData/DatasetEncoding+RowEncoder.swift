extension DatasetEncoding {
  /// Why one raw row cannot be encoded.
  public enum RowProblem: Equatable, Sendable {
    /// A column a feature reads is missing and the dataset drops such rows.
    case missing(column: String)
    /// A numeric column's text is not a finite number.
    case notANumber(column: String, text: String)
  }

  /// The one per-row step of encoding, shared by import, evaluation and scoring: checks a raw
  /// row and appends its features, each number parsed once and nothing allocated per row.
  ///
  /// Numerics are standardised with the train statistics (a missing one imputed with the train
  /// median), categoricals one-hot encoded with unseen values in the unknown bucket (a missing
  /// one imputed with the train mode), derived attributes one-hot by their derivation, and a
  /// `NAME=<missing>` indicator set where a value was missing.
  public struct RowEncoder {
    public let encoding: DatasetEncoding
    /// Features per row.
    public let width: Int
    /// Per raw column, the values that fell into the unknown-category bucket so far.
    public var unknownCounts: [String: Int] {
      var counts: [String: Int] = [:]
      for (block, count) in unknownByBlock.enumerated() where count > 0 { counts[encoding.blocks[block].column, default: 0] += count }
      return counts
    }

    /// The raw column each block reads, and each block's fields in arrays of plain values, so
    /// encoding a row copies no `FeatureBlock` (their strings and arrays cost a retain each).
    private let blockColumns: [Int]
    private let kinds: [FeatureBlock.Kind]
    private let means: [Double], scales: [Double]
    private let widths: [Int], categoryCounts: [Int]
    private let indicators: [Bool]
    private let dropsMissing: Bool
    /// Category → position, per block (a linear search per value cost more than the rest of
    /// encoding on wide categoricals).
    private let positions: [[String: Int]]
    private var unknownByBlock: [Int]
    /// Parsed numerics of the row being encoded, per block.
    private var numbers: [Double]

    public init(_ encoding: DatasetEncoding) {
      self.encoding = encoding
      width = encoding.featureCount
      let columnIndex = Dictionary(encoding.rawColumns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
      let blocks = encoding.blocks
      blockColumns = blocks.map { columnIndex[$0.column] ?? -1 }
      kinds = blocks.map(\.kind)
      means = blocks.map(\.mean)
      scales = blocks.map(\.scale)
      widths = blocks.map(\.width)
      categoryCounts = blocks.map(\.categories.count)
      indicators = blocks.map(\.indicator)
      dropsMissing = encoding.missingPolicy == .drop
      positions = blocks.map(\.categories).map(DatasetEncoding.positions)
      unknownByBlock = [Int](repeating: 0, count: blocks.count)
      numbers = [Double](repeating: 0, count: blocks.count)
    }

    /// Appends the features of the row whose raw values `value(column)` gives (`rawColumns`
    /// order; nil for missing) to `features`, or returns the problem and appends nothing.
    public mutating func append(_ value: (Int) -> String?, to features: inout [Float]) -> RowProblem? {
      let count = kinds.count
      // Check first, so a rejected row leaves nothing behind.
      for index in 0..<count {
        let raw = blockColumns[index] >= 0 ? value(blockColumns[index]) : nil
        if raw == nil, dropsMissing { return .missing(column: encoding.blocks[index].column) }
        guard kinds[index] == .numeric else { continue }
        let text = raw ?? encoding.blocks[index].fill ?? "0"
        guard let number = Double(text), number.isFinite else { return .notANumber(column: encoding.blocks[index].column, text: text) }
        numbers[index] = number
      }
      var offset = features.count
      features.append(contentsOf: repeatElement(0, count: width))
      for index in 0..<count {
        let kind = kinds[index]
        switch kind {
        case .numeric:
          features[offset] = Float((numbers[index] - means[index]) / scales[index])
          if indicators[index], blockColumns[index] < 0 || value(blockColumns[index]) == nil { features[offset + widths[index] - 1] = 1 }
        case .categorical, .derived:
          let raw = blockColumns[index] >= 0 ? value(blockColumns[index]) : nil
          if kind == .categorical {
            if let category = raw ?? encoding.blocks[index].fill, let position = positions[index][category] {
              features[offset + position] = 1
            } else {
              features[offset + categoryCounts[index]] = 1
              unknownByBlock[index] += 1
            }
          } else if let group = encoding.blocks[index].derivation?.group(of: raw), let position = positions[index][group] {
            features[offset + position] = 1
          }
          if indicators[index], raw == nil { features[offset + widths[index] - 1] = 1 }
        }
        offset += widths[index]
      }
      return nil
    }
  }
}
