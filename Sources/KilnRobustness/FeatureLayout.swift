import KilnOutput
import KilnData

/// Which columns of an encoded feature matrix may be perturbed and how, read from a dataset's
/// stored `DatasetEncoding`: standardised numerics, one-hot groups, missing-value indicators, and
/// the immutable columns (the sensitive attributes, and any feature named as immutable).
public struct FeatureLayout: Sendable, Equatable {
  /// A standardised numeric feature.
  public struct NumericColumn: Sendable, Equatable {
    /// The block's name (`age`).
    public var name: String
    public var index: Int
    /// The value the encoder writes for a missing input: the train median in standardised units
    /// ((median − mean) / scale), or 0 (the train mean) when the encoding imputes nothing.
    public var imputedValue: Float
    /// The column of the block's `<missing>` indicator, if it has one.
    public var indicatorIndex: Int?
    public var isImmutable: Bool
  }

  /// A one-hot group: exactly one of its columns is 1 (or none, for a derived attribute whose raw
  /// value was not mapped).
  public struct CategoricalGroup: Sendable, Equatable {
    public var name: String
    /// The group's one-hot columns (the indicator, if any, is not among them).
    public var columns: Range<Int>
    /// Positions within `columns` that are real categories (the unknown bucket is left out).
    public var namedPositions: Int
    /// The position the encoder writes for a missing input (the train mode, or the unknown bucket).
    public var imputedPosition: Int?
    public var indicatorIndex: Int?
    public var isImmutable: Bool
  }

  public var featureCount: Int
  public var numeric: [NumericColumn]
  public var categorical: [CategoricalGroup]

  /// The layout of `encoding`'s features.
  /// - Parameters:
  ///   - immutable: block names (or raw column names) never perturbed, besides the sensitive ones.
  ///   - sensitiveAreImmutable: whether the sensitive attributes' columns are immutable (default).
  /// - Throws: `RobustnessConfigurationError` when an immutable name matches no feature block.
  public init(encoding: DatasetEncoding, immutable: [String] = [], sensitiveAreImmutable: Bool = true) throws {
    let known = Set(encoding.blocks.flatMap { [$0.name, $0.column] })
    if let unknown = immutable.first(where: { !known.contains($0) }) {
      throw RobustnessConfigurationError(
        message: "immutable feature '\(unknown)' is not a feature of the dataset",
        hint: "name one of: \(encoding.blocks.map(\.name).joined(separator: ", "))")
    }
    var frozen = Set(immutable)
    if sensitiveAreImmutable {
      for attribute in encoding.sensitive { frozen.formUnion([attribute.name, attribute.column]) }
    }
    featureCount = encoding.featureCount
    numeric = []
    categorical = []
    var offset = 0
    for block in encoding.blocks {
      let isImmutable = frozen.contains(block.name) || frozen.contains(block.column)
      let indicator = block.indicator ? offset + block.width - 1 : nil
      switch block.kind {
      case .numeric:
        let median = block.fill.flatMap(Double.init) ?? block.mean
        numeric.append(NumericColumn(name: block.name, index: offset, imputedValue: Float((median - block.mean) / block.scale),
                                     indicatorIndex: indicator, isImmutable: isImmutable))
      case .categorical, .derived:
        let width = block.width - (block.indicator ? 1 : 0)
        let imputed: Int?
        if block.kind == .categorical {
          imputed = block.fill.flatMap { block.categories.firstIndex(of: $0) } ?? block.categories.count
        } else {
          imputed = nil
        }
        categorical.append(CategoricalGroup(name: block.name, columns: offset..<(offset + width),
                                            namedPositions: block.categories.count, imputedPosition: imputed,
                                            indicatorIndex: indicator, isImmutable: isImmutable))
      }
      offset += block.width
    }
  }

  /// A layout of `featureCount` standardised numerics with no groups (for data without an
  /// encoding); the imputed value is 0, the mean.
  public init(numericFeatureCount featureCount: Int, immutableColumns: Set<Int> = []) {
    self.featureCount = featureCount
    numeric = (0..<featureCount).map {
      NumericColumn(name: "f\($0)", index: $0, imputedValue: 0, indicatorIndex: nil, isImmutable: immutableColumns.contains($0))
    }
    categorical = []
  }

  /// 1 for every column a gradient attack may move (mutable numerics), 0 elsewhere.
  public var attackMask: [Float] {
    var mask = [Float](repeating: 0, count: featureCount)
    for column in numeric where !column.isImmutable { mask[column.index] = 1 }
    return mask
  }

  /// The columns that must never change.
  public var immutableColumns: [Int] {
    var columns = numeric.filter(\.isImmutable).flatMap { [$0.index] + ($0.indicatorIndex.map { [$0] } ?? []) }
    for group in categorical where group.isImmutable {
      columns += Array(group.columns) + (group.indicatorIndex.map { [$0] } ?? [])
    }
    return columns.sorted()
  }
}

/// A robustness test asked for something the data cannot give.
public struct RobustnessConfigurationError: KilnError, Equatable {
  /// What is wrong.
  public var message: String
  /// What to do about it.
  public var hint: String?
}
