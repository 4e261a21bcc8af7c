import Foundation
import Testing
@testable import KilnDrift

/// A small xoshiro256** for test data (the module knows no tensors).
struct TestGenerator: RandomNumberGenerator {
  var state: (UInt64, UInt64, UInt64, UInt64)
  init(seed: UInt64) {
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }
  mutating func next() -> UInt64 {
    func rotl(_ v: UInt64, _ k: UInt64) -> UInt64 { (v << k) | (v >> (64 - k)) }
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0; state.3 ^= state.1; state.1 ^= state.2; state.0 ^= state.3
    state.2 ^= t; state.3 = rotl(state.3, 45)
    return result
  }
  mutating func normal() -> Double {
    let u = Double.random(in: Double.ulpOfOne..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
  }
}

/// Rows of (age, colour, group) with independent columns; `shift` moves age, `groupShare` sets
/// the share of group 1, `unseen` puts that share of colours in a category unknown to train.
func sampleColumns(rows: Int, shift: Double = 0, groupShare: Double = 0.3, unseen: Double = 0,
                   using generator: inout TestGenerator) -> (age: [Double], colour: [Int32], group: [Int32]) {
  var age: [Double] = [], colour: [Int32] = [], group: [Int32] = []
  for _ in 0..<rows {
    age.append(40 + shift + 10 * generator.normal())
    let u = Double.random(in: 0..<1, using: &generator)
    colour.append(u < unseen ? 3 : Int32(generator.next() % 3))
    group.append(Double.random(in: 0..<1, using: &generator) < groupShare ? 1 : 0)
  }
  return (age, colour, group)
}

func driftReport(reference: (age: [Double], colour: [Int32], group: [Int32]),
                 current: (age: [Double], colour: [Int32], group: [Int32])) -> DriftReport {
  let columns = [
    DriftColumn(name: "age", values: .numeric(reference: reference.age, current: current.age)),
    DriftColumn(name: "colour", values: .categorical(categories: ["red", "green", "blue", "<unknown>"],
                                                     reference: reference.colour, current: current.colour)),
  ]
  let grouping = DriftGrouping(name: "sex", categories: ["Male", "Female"], reference: reference.group, current: current.group)
  return DriftAnalysis.analyze(columns: columns, groupings: [grouping], thresholds: DriftThresholds())
}

@Suite struct DriftAnalysisTests {
  @Test func shiftedAgeAndUnseenColourAndGroupMixAreFlaggedAndNothingElse() {
    var generator = TestGenerator(seed: 11)
    let reference = sampleColumns(rows: 4000, using: &generator)
    let current = sampleColumns(rows: 2000, shift: 8, groupShare: 0.6, unseen: 0.1, using: &generator)
    let report = driftReport(reference: reference, current: current)
    #expect(report.driftedFeatures == ["age", "colour"])
    #expect(report.driftedGroupMixes == ["sex"])
    #expect(report.verdict == .drift)
    let colour = report.features[1]
    #expect(colour.currentShares[3] > 0.08 && colour.referenceShares[3] == 0)
    #expect(report.withinGroups.allSatisfy { $0.driftedFeatures.contains("age") })
  }

  @Test func onlyTheShiftedFeatureIsFlaggedWhenTheMixIsUnchanged() {
    var generator = TestGenerator(seed: 12)
    let reference = sampleColumns(rows: 4000, using: &generator)
    let current = sampleColumns(rows: 2000, shift: 8, using: &generator)
    let report = driftReport(reference: reference, current: current)
    #expect(report.driftedFeatures == ["age"])
    #expect(report.driftedGroupMixes.isEmpty)
  }

  @Test func undriftedResamplesRaiseNoDriftAcrossSeeds() {
    for seed in UInt64(1)...20 {
      var generator = TestGenerator(seed: seed)
      let reference = sampleColumns(rows: 3000, using: &generator)
      let current = sampleColumns(rows: 1500, using: &generator)
      let report = driftReport(reference: reference, current: current)
      #expect(report.verdict != .drift, "seed \(seed): \(report.driftedFeatures) \(report.driftedGroupMixes)")
      #expect(report.features.allSatisfy { $0.psi < 0.05 }, "seed \(seed)")
    }
  }

  @Test func smallGroupsAreReportedAsInsufficientRatherThanTested() {
    var generator = TestGenerator(seed: 3)
    let reference = sampleColumns(rows: 1000, groupShare: 0.01, using: &generator)
    let current = sampleColumns(rows: 1000, groupShare: 0.01, using: &generator)
    let report = driftReport(reference: reference, current: current)
    let female = report.withinGroups.first { $0.group == "Female" }!
    #expect(female.isInsufficient)
    #expect(!report.withinGroups.first { $0.group == "Male" }!.isInsufficient)
  }

  @Test func scorePSIUsesItsOwnThreshold() {
    let reference = (0..<1000).map { Double($0) / 1000 }
    let current = reference.map { min($0 * 0.8 + 0.1, 1) }
    var thresholds = DriftThresholds(scorePSIThreshold: 10)
    let report = DriftAnalysis.analyze(columns: [], referenceScores: reference, currentScores: current, thresholds: thresholds)
    #expect(report.score!.verdict == .warning)
    thresholds.scorePSIThreshold = 0.05
    let strict = DriftAnalysis.analyze(columns: [], referenceScores: reference, currentScores: current, thresholds: thresholds)
    #expect(strict.score!.verdict == .drift)
  }
}
