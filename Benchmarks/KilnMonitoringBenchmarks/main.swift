import Foundation
import KilnData
import KilnDrift
import KilnNN
import KilnTensor
import KilnConfiguration
import KilnTraining
import KilnMonitoring

// Benchmarks for drift monitoring. Prints one JSON object per line:
//   {"name", "kiln", "reference", "ratio", "units", ...}
// drift_1m_x_104: the whole `kiln drift` computation after reading — raw columns recovered from
// 1,000,000 encoded current rows × 104 features and 30,000 reference rows (Adult's shape: 6
// numeric columns, 8 one-hot blocks), PSI and KS/χ² per column, group mix and drift within the
// 2 + 5 groups of two sensitive attributes. Goal: under 2 s. The reference is
// benchmarks/reference/drift_scipy.py (numpy/scipy on the same shapes), when its output is given.
// scoring_raw_csv_1m: `kiln predict`'s path on 1,000,000 raw CSV rows of the same shape — streamed
// reading, per-row checks, encoding with the stored encoding, an MLP 104→64→64→1 and CSV output —
// in rows/s, beside the complete Python path on the same file and encoding
// (benchmarks/reference/scoring_pandas_torch.py: pandas read_csv at its fastest engine, the stored
// encoding, a PyTorch forward pass, to_csv), run here when the reference environment exists; and
// beside benchmarks/reference/scoring_torch.py (the model alone on pre-encoded rows, an upper bound).
// scoring_hdf5_1m: the same model over a 1,000,000 × 104 Kiln dataset (.h5 input, CSV output).

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
  let format = try! JSONDecoder().decode(DatasetRecipe.RawFormat.self, from: Data(#"{"delimiter": ",", "header": false, "missing": ["?"]}"#.utf8))
  return DatasetEncoding(rawColumns: blocks.map(\.column), missingTokens: ["?"], missingPolicy: .drop, blocks: blocks,
                         sensitive: [], format: format)
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

/// `--only NAME` runs one benchmark (drift_1m_x_104, scoring_raw_csv_1m or scoring_hdf5_1m).
let only = CommandLine.arguments.firstIndex(of: "--only").flatMap { index in
  index + 1 < CommandLine.arguments.count ? CommandLine.arguments[index + 1] : nil
}
func wants(_ name: String) -> Bool { only == nil || only == name }

var best = Double.infinity, bestDecode = 0.0
var report: DriftReport?
for _ in 0..<(wants("drift_1m_x_104") ? 3 : 0) {
  let start = DispatchTime.now().uptimeNanoseconds
  let columns = EncodedColumns.driftColumns(encoding: encoding, reference: reference, referenceRows: referenceRows,
                                            current: current, currentRows: currentRows)
  let decoded = DispatchTime.now().uptimeNanoseconds
  report = DriftAnalysis.analyze(columns: columns, groupings: groupings, thresholds: DriftThresholds())
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  if seconds < best { (best, bestDecode) = (seconds, Double(decoded - start) / 1e9) }
}

/// Writes `count` raw CSV rows of `encoding`'s shape to `url`.
func writeRawRows(_ encoding: DatasetEncoding, count: Int, to url: URL) throws {
  FileManager.default.createFile(atPath: url.path, contents: nil)
  let handle = try FileHandle(forWritingTo: url)
  var text = ""
  for row in 0..<count {
    var fields: [String] = []
    for (index, block) in encoding.blocks.enumerated() {
      let u = uniform(UInt64(row) &* 64 &+ UInt64(index) ^ 9)
      fields.append(block.kind == .numeric ? String(Int(20 + 50 * u)) : "v\(Int(u * Double(block.categories.count)))")
    }
    text += fields.joined(separator: ",") + "\n"
    if text.utf8.count > 1 << 22 { try handle.write(contentsOf: Data(text.utf8)); text = "" }
  }
  try handle.write(contentsOf: Data(text.utf8))
  try handle.close()
}

/// The complete pandas + PyTorch path on `input` with `encoding`, best engine, or nil without the
/// reference environment (`make bench-reference`).
func pandasTorchScoring(input: URL, encoding: DatasetEncoding) throws -> [String: Any]? {
  let python = "benchmarks/reference/.venv/bin/python"
  guard FileManager.default.isExecutableFile(atPath: python) else {
    FileHandle.standardError.write(Data("no reference Python (run `make bench-reference`); the pandas + PyTorch scoring reference is null\n".utf8))
    return nil
  }
  let encodingFile = input.deletingLastPathComponent().appendingPathComponent("encoding.json")
  try JSONEncoder().encode(encoding).write(to: encodingFile)
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python)
  process.arguments = ["benchmarks/reference/scoring_pandas_torch.py", input.path, encodingFile.path]
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
    (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
  }
  return lines.max { ($0["value"] as? Double ?? 0) < ($1["value"] as? Double ?? 0) }
}

/// Kiln's rows/s on the raw CSV, and the pandas + PyTorch path's best line on the same file.
func scoringRowsPerSecond() throws -> (kiln: Double, reference: [String: Any]?) {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-scoring-bench-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let input = directory.appendingPathComponent("raw.csv")
  try writeRawRows(encoding, count: currentRows, to: input)
  sync()  // the input's writeback would otherwise compete with the timed reading
  let model = ModelFactory.makeModel(ModelConfiguration(kind: .mlp, hidden: [64, 64]), inputSize: encoding.featureCount,
                                     classCount: 2, seed: 7)
  let width = encoding.featureCount
  let request = BatchScoringRequest(encoding: encoding, input: input, output: directory.appendingPathComponent("scores.csv"),
                                    batchSize: 8192, threshold: 0.5, head: .binary) { features, rows in
    ModelHead.binary.predictions(fromOutputs: model(Tensor(shape: [rows, width], scalars: features)).scalars, rowCount: rows)
  }
  let start = DispatchTime.now().uptimeNanoseconds
  let summary = try request.run()
  precondition(summary.rowsScored == currentRows, "scoring benchmark: scored \(summary.rowsScored) of \(currentRows) rows")
  let kiln = Double(currentRows) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  return (kiln, try pandasTorchScoring(input: input, encoding: encoding))
}

/// Rows/s scoring a generated 1,000,000 × 104 Kiln dataset (numeric features, no encoding step).
func hdf5ScoringRowsPerSecond() throws -> Double {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-scoring-h5-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let input = directory.appendingPathComponent("rows.h5")
  _ = try SyntheticTask.write(to: input, rows: currentRows, noiseFeatures: 102, seed: 3)
  sync()  // the 416 MB input's writeback would otherwise compete with the timed reading
  let dataset = try KilnDataset.open(input)
  let names = dataset.metadata.featureNames
  try dataset.close()
  let blocks = names.map { FeatureBlock(kind: .numeric, column: $0, name: $0) }
  let numericEncoding = DatasetEncoding(rawColumns: names, missingTokens: [], missingPolicy: .drop, blocks: blocks, sensitive: [])
  let model = ModelFactory.makeModel(ModelConfiguration(kind: .mlp, hidden: [64, 64]), inputSize: names.count,
                                     classCount: 2, seed: 7)
  let request = BatchScoringRequest(encoding: numericEncoding, input: input, output: directory.appendingPathComponent("scores.csv"),
                                    batchSize: 8192, threshold: 0.5, head: .binary) { features, rows in
    ModelHead.binary.predictions(fromOutputs: model(Tensor(shape: [rows, names.count], scalars: features)).scalars, rowCount: rows)
  }
  let start = DispatchTime.now().uptimeNanoseconds
  let summary = try request.run()
  precondition(summary.rowsScored == currentRows, "HDF5 scoring benchmark: scored \(summary.rowsScored) of \(currentRows) rows")
  return Double(currentRows) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func referenceValue(_ name: String) -> Double? {
  guard let index = CommandLine.arguments.firstIndex(of: "--reference"), index + 1 < CommandLine.arguments.count,
        let text = try? String(contentsOfFile: CommandLine.arguments[index + 1], encoding: .utf8) else { return nil }
  for line in text.split(separator: "\n") {
    if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
       object["name"] as? String == name, let value = object["value"] as? Double { return value }
  }
  return nil
}

let referenceSeconds = referenceValue("drift_1m_x_104")
let fields: [String: Any] = [
  "name": "drift_1m_x_104", "kiln": best, "reference": referenceSeconds ?? NSNull(),
  "ratio": referenceSeconds.map { $0 / best } ?? NSNull(), "units": "s", "goal": 2.0,
  "features": encoding.featureCount, "decode_seconds": bestDecode, "columns": report?.features.count ?? 0, "rows": currentRows,
]
if wants("drift_1m_x_104") {
  print(String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self))
}

// The model alone on pre-encoded rows (scoring_torch.py, from the reference run): an upper bound.
let torchRowsPerSecond = referenceValue("scoring_model_only_1m")
if wants("scoring_raw_csv_1m") {
  let (rowsPerSecond, pandasTorch) = try scoringRowsPerSecond()
  let pandasTorchRowsPerSecond = pandasTorch?["value"] as? Double
  let scoring: [String: Any] = [
    "name": "scoring_raw_csv_1m", "kiln": rowsPerSecond, "reference": pandasTorchRowsPerSecond ?? NSNull(),
    "ratio": pandasTorchRowsPerSecond.map { rowsPerSecond / $0 } ?? NSNull(), "units": "rows/s", "rows": currentRows,
    "reference_path": pandasTorch?["framework"] ?? NSNull(), "reference_torch_threads": pandasTorch?["torch_threads"] ?? NSNull(),
    "blas_threads": ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "OpenBLAS default",
  ]
  print(String(decoding: try JSONSerialization.data(withJSONObject: scoring, options: [.sortedKeys]), as: UTF8.self))
  let modelOnly: [String: Any] = [
    "name": "scoring_model_only_1m", "kiln": rowsPerSecond, "reference": torchRowsPerSecond ?? NSNull(),
    "ratio": torchRowsPerSecond.map { rowsPerSecond / $0 } ?? NSNull(), "units": "rows/s", "rows": currentRows,
  ]
  print(String(decoding: try JSONSerialization.data(withJSONObject: modelOnly, options: [.sortedKeys]), as: UTF8.self))
}

if wants("scoring_hdf5_1m") {
  let hdf5RowsPerSecond = try hdf5ScoringRowsPerSecond()
  let hdf5Scoring: [String: Any] = [
    "name": "scoring_hdf5_1m", "kiln": hdf5RowsPerSecond, "reference": torchRowsPerSecond ?? NSNull(),
    "ratio": torchRowsPerSecond.map { hdf5RowsPerSecond / $0 } ?? NSNull(), "units": "rows/s", "rows": currentRows,
  ]
  print(String(decoding: try JSONSerialization.data(withJSONObject: hdf5Scoring, options: [.sortedKeys]), as: UTF8.self))
}
