import Foundation
import KilnHDF5
@testable import KilnData

/// Writes a dataset whose feature j of row r is r·10 + j, label r mod 2 and group r mod 3.
func writeSyntheticDataset(at url: URL, rows: Int, features: Int = 3, chunkRows: Int = 4,
                           compressionLevel: Int? = nil, splits: [String: [UInt32]]? = nil) throws {
  let writer = try KilnDatasetWriter(url: url, header: DatasetHeader(name: "synthetic", version: "1", source: "tests", license: "none"),
                                     rowCount: rows, featureNames: (0..<features).map { "f\($0)" },
                                     chunkRows: chunkRows, compressionLevel: compressionLevel)
  let values = (0..<rows).flatMap { row in (0..<features).map { Float(row * 10 + $0) } }
  try values.withUnsafeBufferPointer { try writer.appendFeatures($0) }
  try writer.finish(label: LabelColumn(name: "y", classes: ["no", "yes"], codes: (0..<rows).map { Int32($0 % 2) }),
                    sensitive: [SensitiveColumn(name: "group", categories: ["a", "b", "c"], codes: (0..<rows).map { Int32($0 % 3) },
                                                isModelInput: false, column: "group")],
                    splits: splits ?? ["train": (0..<UInt32(rows)).map { $0 }], encoding: nil)
}
