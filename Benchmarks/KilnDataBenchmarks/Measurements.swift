import KilnRandom
import Foundation
import KilnData
import KilnHDF5
import KilnTensor

struct BenchmarkArguments {
  var path = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-bench-data.h5").path
  var rows = 1_000_000
  var shuffledBatches = 200
  /// Runs one pattern alone: `chunk_shuffled` (for profiling), or `verify_content` (of the
  /// existing dataset at `--path`).
  var only: String?
  var referencePython: String? = {
    let candidate = "benchmarks/reference/.venv/bin/python"
    return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
  }()

  init(_ arguments: [String]) {
    var iterator = arguments.dropFirst().makeIterator()
    while let flag = iterator.next() {
      switch flag {
      case "--path": path = iterator.next() ?? path
      case "--rows": rows = Int(iterator.next() ?? "") ?? rows
      case "--shuffled-batches": shuffledBatches = Int(iterator.next() ?? "") ?? shuffledBatches
      case "--reference-python": referencePython = iterator.next()
      case "--only": only = iterator.next()
      default: FileHandle.standardError.write(Data("unknown argument \(flag)\n".utf8))
      }
    }
  }
}

/// Writes `rows × 64` uniform features, labels and one sensitive attribute, in slabs.
func generateIfNeeded(path: String, rows: Int) throws {
  let url = URL(fileURLWithPath: path)
  if let dataset = try? KilnDataset.open(url), dataset.metadata.rowCount == rows, dataset.metadata.featureCount == 64 { return }
  let writer = try KilnDatasetWriter(url: url, header: DatasetHeader(name: "bench", version: "1", source: "generated", license: "none"),
                                     rowCount: rows, featureNames: (0..<64).map { "f\($0)" }, chunkRows: 1024)
  var generator = SeededGenerator(seed: 42)
  let slab = 16_384
  var start = 0
  while start < rows {
    let count = min(slab, rows - start)
    let values = (0..<(count * 64)).map { _ in generator.nextFloat() }
    try values.withUnsafeBufferPointer { try writer.appendFeatures($0) }
    start += count
  }
  try writer.finish(label: LabelColumn(name: "y", classes: ["0", "1"], codes: (0..<rows).map { Int32($0 & 1) }),
                    sensitive: [SensitiveColumn(name: "group", categories: ["a", "b"], codes: (0..<rows).map { Int32(($0 >> 1) & 1) },
                                                isModelInput: false, column: "group")],
                    splits: ["train": (0..<UInt32(rows)).map { $0 }], encoding: nil)
}

/// Rows per second of each access pattern through Kiln.
func measureKiln(url: URL, cacheBytes: Int, shuffledBatches: Int, onlySequential: Bool = false) throws -> [String: Double] {
  let dataset = try KilnDataset.open(url, chunkCache: HDF5ChunkCache(bytes: cacheBytes))
  var results: [String: Double] = [:]
  results["whole_read"] = try rowsPerSecond {
    let features = try HDF5File.open(url).root.dataset("features")
    return try features.read(as: Float.self).count / 64
  }
  func epoch(_ configuration: DataLoaderConfiguration, limit: Int?) throws -> Double {
    let loader = try DataLoader(dataset: dataset, split: "train", configuration: configuration)
    return try rowsPerSecond {
      var rows = 0
      for (index, batch) in loader.epoch(1).enumerated() {
        rows += batch.rowCount
        if let limit, index + 1 >= limit { break }
      }
      if let error = loader.lastError { throw error }
      return rows
    }
  }
  // Best of five passes, as the reference does: one sequential pass takes well under a second.
  results["sequential_256"] = try (0..<5).map { _ in try epoch(DataLoaderConfiguration(batchSize: 256), limit: nil) }.max()!
  results["sequential_4096"] = try (0..<5).map { _ in try epoch(DataLoaderConfiguration(batchSize: 4096), limit: nil) }.max()!
  if onlySequential { return results }
  results["shuffled_256"] = try epoch(DataLoaderConfiguration(batchSize: 256, shuffle: .full, seed: 7), limit: nil)
  results["chunk_shuffled_256"] = try epoch(DataLoaderConfiguration(batchSize: 256, shuffle: .chunks(bufferChunks: 8), seed: 7), limit: nil)
  return results
}

/// Growth of peak resident memory (VmHWM above the RSS at the start) while streaming one
/// chunk-shuffled epoch of the whole file.
func measureStreamingMemory(url: URL, cacheBytes: Int, directReads: Bool) throws -> Double {
  let dataset = try KilnDataset.open(url, chunkCache: HDF5ChunkCache(bytes: cacheBytes))
  let loader = try DataLoader(dataset: dataset, split: "train",
                              configuration: DataLoaderConfiguration(batchSize: 256, shuffle: .chunks(bufferChunks: 8), seed: 3,
                                                                     directReads: directReads))
  let epoch = loader.epoch(0)  // index lists (8 bytes a row) are made before measuring
  resetPeakResidentMemory()
  let before = residentMemory(field: "VmRSS")
  var rows = 0
  for batch in epoch { rows += batch.rowCount }
  return max(0, residentMemory(field: "VmHWM") - before)
}

func rowsPerSecond(_ body: () throws -> Int) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  let rows = try body()
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  return Double(rows) / seconds
}

/// Bytes of a `/proc/self/status` field such as `VmRSS` or `VmHWM`.
func residentMemory(field: String) -> Double {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
  for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
    let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
    return kilobytes * 1024
  }
  return 0
}

/// Resets VmHWM to the current RSS (Linux: writing 5 to clear_refs).
func resetPeakResidentMemory() {
  try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// Runs the h5py reference script, returning its rows/s per pattern, or nil when unavailable.
func runReference(python: String?, path: String, cacheBytes: Int, shuffledBatches: Int) -> [String: Double]? {
  guard let python else {
    FileHandle.standardError.write(Data("no reference Python (run `make bench-reference`); reference columns are null\n".utf8))
    return nil
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python)
  process.arguments = ["benchmarks/reference/data_loading.py", "--path", path, "--cache-bytes", String(cacheBytes),
                       "--shuffled-batches", String(shuffledBatches)]
  let output = Pipe()
  process.standardOutput = output
  guard (try? process.run()) != nil else { return nil }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (try? JSONSerialization.jsonObject(with: data)) as? [String: Double]
}
