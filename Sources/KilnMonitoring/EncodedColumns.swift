import KilnData
import KilnDrift
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// Turns encoded feature rows back into one column per raw column, using the dataset's encoding:
/// numeric blocks are un-standardised (x·scale + mean), one-hot blocks become category codes (the
/// hot position; the last code of a categorical block is the unknown bucket), missing-value
/// indicators become a present/missing column.
public enum EncodedColumns {
  /// The drift columns of reference and current rows encoded with `encoding`.
  public static func driftColumns(encoding: DatasetEncoding, reference: [Float], referenceRows: Int,
                           current: [Float], currentRows: Int) -> [DriftColumn] {
    let width = encoding.featureCount
    precondition(reference.count == referenceRows * width && current.count == currentRows * width,
                 "driftColumns: features do not fill \(referenceRows) and \(currentRows) rows of \(width) features")
    var columns: [DriftColumn] = []
    var offset = 0
    for block in encoding.blocks {
      switch block.kind {
      case .numeric:
        let referenceValues = numeric(reference, rows: referenceRows, width: width, offset: offset, block: block)
        let currentValues = numeric(current, rows: currentRows, width: width, offset: offset, block: block)
        columns.append(DriftColumn(name: block.name, values: .numeric(reference: referenceValues, current: currentValues)))
      case .categorical, .derived:
        let categories = block.kind == .categorical ? block.categories + [FeatureBlock.unknownCategory] : block.categories
        columns.append(DriftColumn(name: block.name, values: .categorical(
          categories: categories,
          reference: hotPositions(reference, rows: referenceRows, width: width, offset: offset, count: categories.count),
          current: hotPositions(current, rows: currentRows, width: width, offset: offset, count: categories.count))))
      }
      offset += block.width
      if block.indicator {
        columns.append(DriftColumn(name: "\(block.name)=\(FeatureBlock.missingIndicator)", values: .categorical(
          categories: ["present", "missing"],
          reference: indicator(reference, rows: referenceRows, width: width, position: offset - 1),
          current: indicator(current, rows: currentRows, width: width, position: offset - 1))))
      }
    }
    return columns
  }

  private static func numeric(_ features: [Float], rows: Int, width: Int, offset: Int, block: FeatureBlock) -> [Double] {
    var values = [Double](repeating: 0, count: rows)
    features.withUnsafeBufferPointer { buffer in
      for row in 0..<rows { values[row] = Double(buffer[row * width + offset]) * block.scale + block.mean }
    }
    return values
  }

  /// The index of the first 1 in each row's block, −1 when the block is all zeros.
  private static func hotPositions(_ features: [Float], rows: Int, width: Int, offset: Int, count: Int) -> [Int32] {
    var codes = [Int32](repeating: -1, count: rows)
    features.withUnsafeBufferPointer { buffer in
      for row in 0..<rows {
        let base = row * width + offset
        for position in 0..<count where buffer[base + position] > 0.5 {
          codes[row] = Int32(position)
          break
        }
      }
    }
    return codes
  }

  private static func indicator(_ features: [Float], rows: Int, width: Int, position: Int) -> [Int32] {
    (0..<rows).map { features[$0 * width + position] > 0.5 ? 1 : 0 }
  }
}
