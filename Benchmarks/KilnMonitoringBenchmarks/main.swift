import Foundation
import KilnData
import KilnMonitoring
import KilnWorkflows

// Benchmarks for drift monitoring. Prints one JSON object per line:
//   {"name", "kiln", "reference", "ratio", "units", ...}
// drift_1m_x_104: the whole `kiln drift` computation after reading — raw columns recovered from
// 1,000,000 encoded current rows × 104 features and 30,000 reference rows (Adult's shape: 6
// numeric columns, 8 one-hot blocks), PSI and KS/χ² per column, group mix and drift within the
// 2 + 5 groups of two sensitive attributes. Goal: under 2 s. The reference is
// benchmarks/reference/drift_scipy.py (numpy/scipy on the same shapes), when its output is given.

/// SplitMix64 finaliser of a counter.
func mix(_ counter: UInt64) -> UInt64 {
  var z = counter &+ 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

func uniform(_ counter: UInt64) -> Double { Double(mix(counter) >> 11) * (1.0 / 9_007_199_254_740_992.0) }

/// Adult's encoded shape: 6 numeric blocks and categorical blocks of 7, 16, 7, 14, 6, 5, 2 and 41
/// columns (categories plus the unknown bucket): 104 features.
func adultLikeEncoding() -> DatasetEncoding {
  var blocks = (0..<6).map { FeatureBlock(kind: .numeric, column: "n\($0)", name: "n\($0)", mean: 40, scale: 10) }
  for (index, count) in [6, 15, 6, 13, 5, 4, 1, 40].enumerated() {
    blocks.append(FeatureBlock(kind: .categorical, column: "c\(index)", name: "c\(index)", categories: (0..<count).map { "v\($0)" }))
  }
  return DatasetEncoding(rawColumns: blocks.map(\.column), missingTokens: [], missingPolicy: .drop, blocks: blocks, sensitive: [])
}

/// Encoded rows: numeric columns standard normal (shifted by `shift`), one hot position per block.
func encodedRows(_ encoding: DatasetEncoding, count: Int, salt: UInt64, shift: Double) -> [Float] {
  let width = encoding.featureCount
  var features = [Float](repeating: 0, count: count * width)
  for row in 0..<count {
    var offset = 0
    for (index, block) in encoding.blocks.enumerated() {
      let counter = (UInt64(row) &* 64 &+ UInt64(index)) ^ salt
      if block.kind == .numeric {
        let u = max(uniform(counter), 1e-12), v = uniform(counter &+ 0x5555)
        features[row * width + offset] = Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v) + shift)
      } else {
        let position = Int(Double(block.width - 1) * pow(uniform(counter), 1.5))
        features[row * width + offset + position] = 1
      }
      offset += block.width
    }
  }
  return features
}

func codes(count: Int, groups: Int, salt: UInt64) -> [Int32] {
  (0..<count).map { Int32(mix(UInt64($0) ^ salt) % UInt64(groups)) }
}

let encoding = adultLikeEncoding()
let referenceRows = 30_000, currentRows = 1_000_000
let reference = encodedRows(encoding, count: referenceRows, salt: 1, shift: 0)
let current = encodedRows(encoding, count: currentRows, salt: 2, shift: 0.05)
let groupings = [
  DriftGrouping(name: "sex", categories: ["a", "b"], reference: codes(count: referenceRows, groups: 2, salt: 3),
                current: codes(count: currentRows, groups: 2, salt: 4)),
  DriftGrouping(name: "race", categories: ["a", "b", "c", "d", "e"], reference: codes(count: referenceRows, groups: 5, salt: 5),
                current: codes(count: currentRows, groups: 5, salt: 6)),
]

var best = Double.infinity, bestDecode = 0.0
var report: DriftReport?
for _ in 0..<3 {
  let start = DispatchTime.now().uptimeNanoseconds
  let columns = EncodedColumns.driftColumns(encoding: encoding, reference: reference, referenceRows: referenceRows,
                                            current: current, currentRows: currentRows)
  let decoded = DispatchTime.now().uptimeNanoseconds
  report = DriftAnalysis.analyze(columns: columns, groupings: groupings, thresholds: DriftThresholds())
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  if seconds < best { (best, bestDecode) = (seconds, Double(decoded - start) / 1e9) }
}

var referenceSeconds: Double?
if let index = CommandLine.arguments.firstIndex(of: "--reference"), index + 1 < CommandLine.arguments.count,
   let text = try? String(contentsOfFile: CommandLine.arguments[index + 1], encoding: .utf8) {
  for line in text.split(separator: "\n") {
    if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
       object["name"] as? String == "drift_1m_x_104", let value = object["value"] as? Double {
      referenceSeconds = value
    }
  }
}
let fields: [String: Any] = [
  "name": "drift_1m_x_104", "kiln": best, "reference": referenceSeconds ?? NSNull(),
  "ratio": referenceSeconds.map { $0 / best } ?? NSNull(), "units": "s", "goal": 2.0,
  "features": encoding.featureCount, "decode_seconds": bestDecode, "columns": report?.features.count ?? 0, "rows": currentRows,
]
let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
