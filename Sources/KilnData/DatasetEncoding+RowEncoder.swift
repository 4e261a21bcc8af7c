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

    /// The raw column each block reads.
    private let blockColumns: [Int]
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
      blockColumns = encoding.blocks.map { columnIndex[$0.column] ?? -1 }
      positions = encoding.blocks.map(\.categories).map(DatasetEncoding.positions)
      unknownByBlock = [Int](repeating: 0, count: encoding.blocks.count)
      numbers = [Double](repeating: 0, count: encoding.blocks.count)
    }

    /// Appends the features of the row whose raw values `value(column)` gives (`rawColumns`
    /// order; nil for missing) to `features`, or returns the problem and appends nothing.
    public mutating func append(_ value: (Int) -> String?, to features: inout [Float]) -> RowProblem? {
      let blocks = encoding.blocks
      // Check first, so a rejected row leaves nothing behind.
      for index in blocks.indices {
        let block = blocks[index]
        let raw = blockColumns[index] >= 0 ? value(blockColumns[index]) : nil
        if raw == nil, encoding.missingPolicy == .drop { return .missing(column: block.column) }
        guard block.kind == .numeric else { continue }
        let text = raw ?? block.fill ?? "0"
        guard let number = Double(text), number.isFinite else { return .notANumber(column: block.column, text: text) }
        numbers[index] = number
      }
      var offset = features.count
      features.append(contentsOf: repeatElement(0, count: width))
      for index in blocks.indices {
        let block = blocks[index]
        let raw = blockColumns[index] >= 0 ? value(blockColumns[index]) : nil
        switch block.kind {
        case .numeric:
          features[offset] = Float((numbers[index] - block.mean) / block.scale)
        case .categorical:
          if let category = raw ?? block.fill, let position = positions[index][category] {
            features[offset + position] = 1
          } else {
            features[offset + block.categories.count] = 1
            unknownByBlock[index] += 1
          }
        case .derived:
          if let group = block.derivation?.group(of: raw), let position = positions[index][group] { features[offset + position] = 1 }
        }
        offset += block.width
        if block.indicator, raw == nil { features[offset - 1] = 1 }
      }
      return nil
    }
  }
}
