// Data-loading benchmarks (`make bench`): prints one JSON object per line,
// {"name", "kiln", "reference", "ratio", "units"}. Never run from tests.
//
// Usage: KilnDataBenchmarks [--path FILE] [--rows N] [--reference-python PYTHON] [--only reader|chunk_shuffled|sequential]
// The dataset (N × 64 float32, chunks of 1024 rows, uncompressed) is generated once at FILE.
import Foundation
import KilnData
import KilnHDF5
import KilnTensor

let arguments = BenchmarkArguments(CommandLine.arguments)
let cacheBytes = 1 << 20

// `--only verify_content --path datasets/adult/adult.h5`: the content check (fingerprint and
// finite features) that training and evaluation run when they open an existing dataset file.
if arguments.only == "verify_content" {
  let url = URL(fileURLWithPath: arguments.path)
  var milliseconds: [Double] = []
  for _ in 0..<7 {
    let start = DispatchTime.now().uptimeNanoseconds
    let dataset = try KilnDataset.open(url)
    try dataset.verifyContent()
    try dataset.close()
    milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
  }
  let dataset = try KilnDataset.open(url)
  let megabytes = Double(dataset.metadata.rowCount * dataset.metadata.featureCount * 4) / 1_048_576
  emit("verify_content_\(dataset.metadata.header.name)", kiln: milliseconds.sorted()[3], reference: nil,
       units: "ms, median of 7 (open + fingerprint + finite-feature check; \(dataset.metadata.rowCount) rows × \(dataset.metadata.featureCount) features, \(String(format: "%.1f", megabytes)) MiB)")
  exit(0)
}

try generateIfNeeded(path: arguments.path, rows: arguments.rows)
let url = URL(fileURLWithPath: arguments.path)
let fileBytes = Double(arguments.rows * 64 * 4)
let memoryCacheBytes = arguments.rows * 64 * 4 / 4

if arguments.only == "reader" {
  try benchmarkReader(rows: arguments.rows, python: arguments.referencePython)
  exit(0)
}

if arguments.only == "chunk_shuffled" {
  let dataset = try KilnDataset.open(url, chunkCache: HDF5ChunkCache(bytes: cacheBytes))
  let loader = try DataLoader(dataset: dataset, split: "train", configuration: DataLoaderConfiguration(batchSize: 256, shuffle: .chunks(bufferChunks: 8), seed: 7))
  let indexRate = rowsPerSecond { loader.batchIndices(forEpoch: 1).reduce(0) { $0 + $1.count } }
  emit("chunk_shuffled_index_only", kiln: indexRate, reference: nil, units: "rows/s")
  for depth in [0, 2, 8] {
    let loader = try DataLoader(dataset: dataset, split: "train", configuration: DataLoaderConfiguration(
      batchSize: 256, shuffle: .chunks(bufferChunks: 8), seed: 7, prefetchDepth: depth))
    let readRate = rowsPerSecond { loader.epoch(1).reduce(0) { $0 + $1.rowCount } }
    emit("chunk_shuffled_256_prefetch_\(depth)", kiln: readRate, reference: nil, units: "rows/s")
  }
  exit(0)
}

if arguments.only == "sequential" {
  let kiln = try measureKiln(url: url, cacheBytes: cacheBytes, shuffledBatches: 0, onlySequential: true)
  let reference = runReference(python: arguments.referencePython, path: arguments.path, cacheBytes: cacheBytes, shuffledBatches: 1)
  for name in ["sequential_256", "sequential_4096"] {
    emit(name, kiln: kiln[name]!, reference: reference?[name], units: "rows/s, best of 5 passes (reference = h5py, same pattern and cache)")
  }
  exit(0)
}

// Peak resident memory first, before any whole-dataset buffer raises the high-water mark.
// Through HDF5's chunk cache (sized a quarter of the file), then through the direct path.
let queueBytes = Double(4 * 256 * (64 + 2) * 4)
let throughCache = try measureStreamingMemory(url: url, cacheBytes: memoryCacheBytes, directReads: false)
emit("peak_rss_growth_streaming_file_4x_cache_hdf5_path", kiln: throughCache / 1_048_576,
     reference: (Double(memoryCacheBytes) + queueBytes) / 1_048_576, units: "MiB (reference = chunk cache + queue bound)")
let blockBytes = Double(9 * 1024 * (64 + 2) * 4)
let direct = try measureStreamingMemory(url: url, cacheBytes: memoryCacheBytes, directReads: true)
emit("peak_rss_growth_streaming_file_4x_cache_direct_path", kiln: direct / 1_048_576,
     reference: (blockBytes + queueBytes) / 1_048_576, units: "MiB (reference = block cache + queue bound)")

let kiln = try measureKiln(url: url, cacheBytes: cacheBytes, shuffledBatches: arguments.shuffledBatches)
let reference = runReference(python: arguments.referencePython, path: arguments.path, cacheBytes: cacheBytes,
                             shuffledBatches: arguments.shuffledBatches)
for name in ["sequential_256", "sequential_4096", "shuffled_256", "chunk_shuffled_256"] {
  emit(name, kiln: kiln[name]!, reference: reference?[name], units: "rows/s (reference = h5py, same pattern and cache)")
}
emit("raw_h5dread_whole", kiln: kiln["whole_read"]!, reference: reference?["whole_read"], units: "rows/s (reference = h5py whole read)")
emit("sequential_256_vs_raw_read", kiln: kiln["sequential_256"]!, reference: kiln["whole_read"]!, units: "rows/s (reference = Kiln's raw H5Dread of the whole dataset)")
emit("sequential_4096_vs_raw_read", kiln: kiln["sequential_4096"]!, reference: kiln["whole_read"]!, units: "rows/s (reference = Kiln's raw H5Dread of the whole dataset)")
try benchmarkReader(rows: arguments.rows, python: arguments.referencePython)

/// Prints one result line.
func emit(_ name: String, kiln: Double, reference: Double?, units: String) {
  var object: [String: Any] = ["name": name, "kiln": kiln, "units": units]
  object["reference"] = reference ?? NSNull()
  object["ratio"] = reference.map { kiln / $0 } ?? NSNull()
  let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
  fflush(stdout)
}
