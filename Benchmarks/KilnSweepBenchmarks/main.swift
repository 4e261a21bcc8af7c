import Foundation
import KilnSweep

// Sampler quality and overhead on standard test functions. Prints one JSON object per line:
// {"name", "kiln", "reference", "ratio", "units"}. Reference figures (Optuna) are read from a
// file of JSON lines written by benchmarks/reference/sweep_optuna.py, if its path is given:
//   KilnSweepBenchmarks [--reference optuna.jsonl] [--seeds 10] [--seed-offset 0] [--samplers tpe,random] [--quick]
//   KilnSweepBenchmarks --nsga2 [--seeds 30] [--seed-offset 1000]   (ZDT hypervolumes, see ZDT.swift)
// Each best_median line carries the per-seed best values (`values`), for
// benchmarks/reference/sampler_compare.py's one-sided tests against Optuna's on the same seeds.

struct BenchmarkLine: Encodable {
  let name: String
  let kiln: Double?
  let reference: Double?
  let ratio: Double?
  let units: String
  var values: [Double]? = nil

  // Absent figures are written as null, not left out; per-seed values only where there are some.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(kiln, forKey: .kiln)
    try container.encode(reference, forKey: .reference)
    try container.encode(ratio, forKey: .ratio)
    try container.encode(units, forKey: .units)
    try container.encodeIfPresent(values, forKey: .values)
  }

  enum CodingKeys: String, CodingKey { case name, kiln, reference, ratio, units, values }
}

struct ReferenceLine: Decodable {
  let name: String
  let reference: Double?
}

func option(_ flag: String) -> String? {
  let arguments = CommandLine.arguments
  guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
  return arguments[index + 1]
}

func loadReferences() -> [String: Double] {
  guard let path = option("--reference"), let text = try? String(contentsOfFile: path, encoding: .utf8) else {
    return [:]
  }
  var references: [String: Double] = [:]
  for line in text.split(separator: "\n") {
    if let entry = try? JSONDecoder().decode(ReferenceLine.self, from: Data(line.utf8)), let value = entry.reference {
      references[entry.name] = value
    }
  }
  return references
}

let references = loadReferences()
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]

func emit(_ name: String, _ value: Double, units: String, referenceName: String? = nil, values: [Double]? = nil) {
  let reference = references[referenceName ?? name]
  let ratio = reference.map { value / $0 }
  let line = BenchmarkLine(name: name, kiln: value, reference: reference, ratio: ratio, units: units, values: values)
  print(String(decoding: try! encoder.encode(line), as: UTF8.self))
  fflush(stdout)
}

/// The p-th percentile with linear interpolation between order statistics (NumPy's default).
func percentile(_ values: [Double], _ p: Double) -> Double {
  let sorted = values.sorted()
  let position = p / 100 * Double(sorted.count - 1)
  let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
}

/// The TPE settings under test: the defaults, or variants named on the command line.
func tpeConfiguration(_ kind: String) -> TPESampler.Configuration {
  var configuration = kind == "tpe-exploitative" ? TPESampler.Configuration.exploitative : TPESampler.Configuration()
  if let count = option("--candidates").flatMap(Int.init) { configuration.candidateCount = count }
  if let design = option("--startup").flatMap(TPESampler.Configuration.StartupDesign.init) {
    configuration.startupDesign = design
  }
  if let count = option("--startup-trials").flatMap(Int.init) { configuration.startupTrials = count }
  if CommandLine.arguments.contains("--univariate") { configuration.multivariate = false }
  if let fraction = option("--gamma").flatMap(Double.init) { configuration.gammaFraction = fraction }
  if let weight = option("--prior-weight").flatMap(Double.init) { configuration.priorWeight = weight }
  return configuration
}

func makeSampler(_ kind: String) -> any Sampler {
  kind.hasPrefix("tpe") ? TPESampler(tpeConfiguration(kind)) : RandomSampler()
}

let seedOffset = option("--seed-offset").flatMap(Int.init) ?? 0
let kinds = option("--samplers").map { $0.split(separator: ",").map(String.init) } ?? ["tpe", "tpe-exploitative", "random"]

/// Best value after each budget, per seed, from one study of max(budgets) trials per seed.
func bestValues(kind: String, function: TestFunction, budgets: [Int], seeds: Int) throws -> [Int: [Double]] {
  var results: [Int: [Double]] = [:]
  for seed in 0..<seeds {
    let study = Study(sampler: makeSampler(kind), seed: UInt64(seed + seedOffset))
    try study.optimize(trials: budgets.max()!) { function.evaluate($0) }
    let values = try study.trials().map { $0.value! }
    for budget in budgets { results[budget, default: []].append(values[..<budget].min()!) }
  }
  return results
}

func overheadMilliseconds(trials: Int) throws -> Double {
  let study = Study(sampler: TPESampler(), seed: 0)
  let start = DispatchTime.now().uptimeNanoseconds
  try study.optimize(trials: trials) { TestFunction.branin($0) }
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(trials)
}

let seeds = option("--seeds").flatMap(Int.init) ?? 10
let quick = CommandLine.arguments.contains("--quick")
if CommandLine.arguments.contains("--nsga2") {
  try runNSGAII(seeds: seeds, seedOffset: seedOffset, budgets: [100, 200, 400])
  exit(0)
}
for kind in kinds {
  for function in TestFunction.allCases {
    let results = try bestValues(kind: kind, function: function, budgets: [50, 100], seeds: seeds)
    for budget in [50, 100] {
      let values = results[budget]!
      // Every TPE variant is compared with Optuna's TPE.
      let referenceKind = kind.hasPrefix("tpe") ? "tpe" : kind
      let stem = "\(function.rawValue).trials\(budget)"
      emit("sweep.\(kind).\(stem).best_median", percentile(values, 50), units: "objective",
           referenceName: "sweep.\(referenceKind).\(stem).best_median", values: values)
      emit("sweep.\(kind).\(stem).best_iqr", percentile(values, 75) - percentile(values, 25), units: "objective",
           referenceName: "sweep.\(referenceKind).\(stem).best_iqr")
    }
  }
}
for trials in quick ? [100] : [100, 1000] {
  emit("sweep.tpe.overhead.trials\(trials)", try overheadMilliseconds(trials: trials), units: "ms/trial")
}
