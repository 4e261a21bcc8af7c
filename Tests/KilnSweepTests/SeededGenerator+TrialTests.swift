import KilnRandom
import Foundation
import Testing
@testable import KilnSweep

@Suite struct SeededGeneratorTrialTests {
  @Test func sameSeedAndStreamGiveTheSameSequence() {
    var first = SeededGenerator(seed: 42, stream: 3)
    var second = SeededGenerator(seed: 42, stream: 3)
    var other = SeededGenerator(seed: 42, stream: 4)
    let a = (0..<16).map { _ in first.next() }
    #expect(a == (0..<16).map { _ in second.next() })
    #expect(a != (0..<16).map { _ in other.next() })
  }

  @Test func firstOutputsMatchAnIndependentXoshiroImplementation() {
    // Known answers from a separate implementation of SplitMix64 seeding and xoshiro256**.
    var generator = SeededGenerator(seed: 42)
    #expect((0..<3).map { _ in generator.next() } == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
    var streamed = SeededGenerator(seed: 7, stream: 3)
    #expect((0..<3).map { _ in streamed.next() } == [0xD88D_886B_B833_247C, 0xCAE3_895E_9C25_6B2D, 0x1D57_2D31_5B1E_C89F])
  }

  @Test func stableHashIsFNV1a() {
    #expect(SeededGenerator.stableHash("") == 0xCBF2_9CE4_8422_2325)
    #expect(SeededGenerator.stableHash("a") == 0xAF63_DC4C_8601_EC8C)
  }

  @Test func uniformIndexStaysBelowItsBoundAndHitsEveryValue() {
    var generator = SeededGenerator(seed: 9)
    var seen = Set<Int>()
    for _ in 0..<2_000 {
      let index = generator.uniformIndex(below: 7)
      #expect((0..<7).contains(index))
      seen.insert(index)
    }
    #expect(seen.count == 7)
  }

  @Test func nextDoubleIsInTheUnitIntervalWithMeanOneHalf() {
    var generator = SeededGenerator(seed: 5)
    let draws = (0..<20_000).map { _ in generator.nextDouble() }
    #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(abs(draws.reduce(0, +) / Double(draws.count) - 0.5) < 0.01)
  }

  @Test func aTrialsGeneratorIsTheSweepStreamOfItsNumberAndLabel() {
    let context = SamplingContext(seed: 42, trialNumber: 3, directions: [.minimize], history: [])
    var trial = context.generator(for: "learning_rate")
    var registered = SeededGenerator(seed: 42, stream: .sweep(trial: 3, label: "learning_rate"))
    var otherTrial = context.generator(for: "momentum")
    let draws = (0..<3).map { _ in trial.next() }
    #expect(draws == (0..<3).map { _ in registered.next() })
    #expect(draws != (0..<3).map { _ in otherTrial.next() })
  }
}
