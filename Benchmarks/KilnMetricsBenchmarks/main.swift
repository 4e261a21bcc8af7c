import Foundation
import KilnMetrics

// Benchmarks for KilnMetrics. Prints one JSON object per line:
//   {"name", "kiln", "reference", "ratio", "units", ...}
// `reference` is fairlearn's time from benchmarks/reference/fairness_fairlearn.py, read from the
// JSON-lines file given with `--reference FILE` (null without it); `ratio` = reference / kiln.
// Both programs build the same rows from the same counter-based hash (see `BenchmarkRows`), so
// values can be compared: with a reference file, `values_match` says whether every value agrees
// to 1e-9.

/// SplitMix64 finaliser of a counter: row i's k-th uniform is `uniform(4·i + k)`.
func mix(_ counter: UInt64) -> UInt64 {
  var z = counter &+ 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

func uniform(_ counter: UInt64) -> Double { Double(mix(counter) >> 11) * (1.0 / 9_007_199_254_740_992.0) }

/// Synthetic predictions: sex (2 groups), race (5 groups), group-dependent base rates and scores.
struct BenchmarkRows {
  var labels: [Int] = [], predictions: [Int] = [], scores: [Double] = []
  var sex: [String] = [], race: [String] = []

  init(count: Int) {
    let races = ["a", "b", "c", "d", "e"]
    labels.reserveCapacity(count); predictions.reserveCapacity(count); scores.reserveCapacity(count)
    sex.reserveCapacity(count); race.reserveCapacity(count)
    for row in 0..<UInt64(count) {
      let female = uniform(4 * row) < 0.45
      let raceIndex = Int(mix(4 * row + 1) >> 32) % 5
      let label = uniform(4 * row + 2) < 0.3 + 0.05 * Double(raceIndex) ? 1 : 0
      var score = 0.3 * Double(label) + 0.55 * uniform(4 * row + 3) + 0.1 - (female ? 0.05 : 0)
      score = min(max(score, 0), 1)
      labels.append(label)
      scores.append(score)
      predictions.append(score >= 0.5 ? 1 : 0)
      sex.append(female ? "Female" : "Male")
      race.append(races[raceIndex])
    }
  }

  var attributes: [SensitiveAttribute] {
    [SensitiveAttribute(name: "sex", values: sex), SensitiveAttribute(name: "race", values: race)]
  }
}

/// A deterministic generator for the bootstrap seed.
struct BenchmarkGenerator: RandomNumberGenerator {
  var counter: UInt64
  mutating func next() -> UInt64 { counter &+= 1; return mix(counter) }
}

/// The best of `repeats` wall-clock times of `body`, in seconds, and its last result.
func bestTime<T>(repeats: Int, _ body: () throws -> T) rethrows -> (seconds: Double, result: T) {
  var best = Double.infinity
  var result: T?
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    result = try body()
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  return (best, result!)
}

/// Reference lines by name, from `--reference FILE`.
func referenceLines() -> [String: [String: Any]] {
  let arguments = CommandLine.arguments
  guard let flag = arguments.firstIndex(of: "--reference"), flag + 1 < arguments.count,
        let text = try? String(contentsOfFile: arguments[flag + 1], encoding: .utf8) else { return [:] }
  var lines: [String: [String: Any]] = [:]
  for line in text.split(separator: "\n") {
    if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let name = object["name"] as? String {
      lines[name] = object
    }
  }
  return lines
}

func emit(_ name: String, kiln: Double, units: String, values: [String: Double], references: [String: [String: Any]], extra: [String: Any] = [:]) {
  var object: [String: Any] = ["name": name, "kiln": kiln, "units": units]
  let reference = references[name]
  if let time = reference?["reference"] as? Double {
    object["reference"] = time
    object["ratio"] = time / kiln
  } else {
    object["reference"] = NSNull()
    object["ratio"] = NSNull()
  }
  if let expected = reference?["values"] as? [String: Any] {
    var mismatches: [String] = []
    for (key, value) in expected {
      let want = (value as? Double) ?? .nan, have = values[key] ?? .nan
      if !(abs(want - have) <= 1e-9 || (want.isNaN && have.isNaN)) { mismatches.append(key) }
    }
    object["values_match"] = mismatches.isEmpty
    if !mismatches.isEmpty { object["mismatched"] = mismatches.sorted() }
  }
  for (key, value) in extra { object[key] = value }
  let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}

/// The values both programs compute: every count-based metric per group, and every measure.
func comparableValues(_ report: FairnessReport) -> [String: Double] {
  var values: [String: Double] = [:]
  for section in report.sections {
    for group in section.groups where group.status != .empty {
      for metric in ["accuracy", "selection_rate", "true_positive_rate", "false_positive_rate",
                     "false_negative_rate", "true_negative_rate", "precision"] {
        values["\(section.name).\(group.name).\(metric)"] = group.metrics[metric]?.value
      }
    }
    for (measure, pair) in section.measures ?? [:] where measure != "predictive_parity_difference" && measure != "disparate_impact" {
      values["\(section.name).\(measure).between_groups"] = pair.betweenGroups.value
      values["\(section.name).\(measure).to_overall"] = pair.toOverall.value
    }
  }
  return values
}

let references = referenceLines()
let configuration = FairnessAudit.Configuration(intersections: [["sex", "race"]], bootstrap: nil)

let million = BenchmarkRows(count: 1_000_000)
let report = try bestTime(repeats: 3) { () throws -> FairnessReport in
  var generator = BenchmarkGenerator(counter: 0)
  return try FairnessAudit.report(labels: million.labels, predictions: million.predictions, attributes: million.attributes,
                                  configuration: configuration, using: &generator)
}
emit("fairness_report_1m_rows_sex2_race5_intersection", kiln: report.seconds, units: "s",
     values: comparableValues(report.result), references: references)

let withScores = try bestTime(repeats: 3) { () throws -> FairnessReport in
  var generator = BenchmarkGenerator(counter: 0)
  return try FairnessAudit.report(labels: million.labels, predictions: million.predictions, scores: million.scores,
                                  attributes: million.attributes, configuration: configuration, using: &generator)
}
emit("fairness_report_1m_rows_with_roc_auc", kiln: withScores.seconds, units: "s",
     values: comparableValues(withScores.result), references: references)

let hundredThousand = BenchmarkRows(count: 100_000)
let bootstrapConfiguration = FairnessAudit.Configuration(intersections: [["sex", "race"]],
                                                         bootstrap: BootstrapConfiguration(resamples: 1000))
let bootstrap = try bestTime(repeats: 3) { () throws -> FairnessReport in
  var generator = BenchmarkGenerator(counter: 7)
  return try FairnessAudit.report(labels: hundredThousand.labels, predictions: hundredThousand.predictions,
                                  attributes: hundredThousand.attributes, configuration: bootstrapConfiguration, using: &generator)
}
let odds = bootstrap.result.section("sex")!.measures!["equalized_odds_difference"]!.betweenGroups
emit("bootstrap_1000_resamples_100k_rows", kiln: bootstrap.seconds, units: "s", values: [:], references: references,
     extra: ["goal_seconds": 2.0, "sex_equalized_odds_difference_interval": [odds.interval!.lower, odds.interval!.upper]])

let bootstrapWithScores = try bestTime(repeats: 1) { () throws -> FairnessReport in
  var generator = BenchmarkGenerator(counter: 7)
  return try FairnessAudit.report(labels: hundredThousand.labels, predictions: hundredThousand.predictions,
                                  scores: hundredThousand.scores, attributes: hundredThousand.attributes,
                                  configuration: bootstrapConfiguration, using: &generator)
}
emit("bootstrap_1000_resamples_100k_rows_with_roc_auc_and_calibration", kiln: bootstrapWithScores.seconds, units: "s",
     values: [:], references: references)

let ascending = bestTime(repeats: 3) { RankingMetrics.rocAUC(labels: million.labels, scores: million.scores) }
emit("roc_auc_1m_rows", kiln: ascending.seconds, units: "s", values: [:], references: references)

let bootstrapMillion = try bestTime(repeats: 3) { () throws -> FairnessReport in
  var generator = BenchmarkGenerator(counter: 7)
  return try FairnessAudit.report(labels: million.labels, predictions: million.predictions, attributes: million.attributes,
                                  configuration: bootstrapConfiguration, using: &generator)
}
emit("fairness_report_with_1000_bootstrap_resamples_1m_rows", kiln: bootstrapMillion.seconds, units: "s", values: [:],
     references: references)
