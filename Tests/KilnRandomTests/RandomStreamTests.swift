import Foundation
import Testing
@testable import KilnRandom

@Suite struct RandomStreamTests {
  /// Names the robustness runners and samplers use, plus look-alikes.
  static let names = ["gaussian_noise_0.1", "gaussian_noise_0.2", "gaussian_noise_0.5", "missing_features_0.1",
                      "missing_features_0.3", "category_corruption_0.1", "category_corruption_0.2", "fgsm_0.05",
                      "fgsm_0.1", "pgd_0.05", "pgd_0.1", "learning_rate", "lr", "momentum", "dropout", "hidden",
                      "batch_size", "weight_decay", "grid", "sobol-scramble", "", "a", "b"]

  @Test func noTwoRegisteredStreamsCoincide() {
    var streams: [RandomStream] = [.parameterInitialization, .dropout, .bootstrap, .gradientCheck, .decisionMixing]
    streams += RandomStream.SyntheticData.allCases.map { .syntheticData($0) }
    streams += (0..<10_000).map { .shuffle(epoch: $0) }
    streams += (-1..<1_000).map { .datasetSplit(stratum: Int32($0)) }
    streams += [Int32.min, Int32.max].map { .datasetSplit(stratum: $0) }
    streams += Self.names.map { .robustness(name: $0) }
    for label in Self.names {
      streams += (0..<2_000).map { .sweep(trial: $0, label: label) }
    }
    streams.append(.sweep(trial: RandomStream.maximumSweepTrials - 1, label: "lr"))
    let numbers = streams.map(\.number)
    #expect(Set(numbers).count == numbers.count, "\(numbers.count - Set(numbers).count) streams share a number")
    // Distinct numbers give distinct generator states for one seed.
    let states = streams.prefix(3_000).map { SeededGenerator(seed: 7, stream: $0).state }
    #expect(Set(states).count == states.count)
  }

  @Test func theInitialWeightsAndTheFirstEpochsOrderDrawDifferentSequences() {
    var initialization = SeededGenerator(seed: 0, stream: .parameterInitialization)
    var shuffle = SeededGenerator(seed: 0, stream: .shuffle(epoch: 0))
    #expect((0..<4).map { _ in initialization.next() } != (0..<4).map { _ in shuffle.next() })
  }

  @Test func theTopByteNamesThePurpose() {
    #expect(RandomStream.datasetSplit(stratum: 3).number == 3)
    #expect(RandomStream.parameterInitialization.number == 1 << 56)
    #expect(RandomStream.shuffle(epoch: 5).number == 2 << 56 | 5)
    #expect(RandomStream.sweep(trial: 3, label: "a").number
            == 6 << 56 | (SeededGenerator.stableHash("a") & (1 << 36 - 1)) << 20 | 3)
  }

  /// Library code names a purpose, never a raw stream number.
  @Test func everySeededGeneratorInTheSourcesNamesARegisteredStream() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources")
    let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
    var checked = 0
    for case let file as URL in files where file.pathExtension == "swift" && !file.path.contains("/KilnRandom/") {
      let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
      for (number, line) in lines.enumerated() where line.contains("SeededGenerator(seed:") {
        checked += 1
        #expect(line.contains("stream: ."), "\(file.lastPathComponent):\(number + 1) seeds a generator without a RandomStream")
      }
    }
    #expect(checked > 10)
  }

  @Test func counterDrawsArePureFunctionsOfTheirCounters() {
    let generator = CounterGenerator(seed: 11, stream: .dropout)
    #expect(generator == CounterGenerator(seed: 11, stream: .dropout))
    #expect(generator != CounterGenerator(seed: 12, stream: .dropout))
    let subkey = generator.subkey(2, 40, 0)
    #expect(subkey == generator.subkey(2, 40, 0))
    #expect(subkey != generator.subkey(2, 41, 0) && subkey != generator.subkey(3, 40, 0) && subkey != generator.subkey(2, 40, 1))
    // Roughly uniform: the mean of 20 000 top-24-bit draws is near 2²³.
    let draws = (0..<20_000).map { Double(CounterGenerator.bits(subkey: subkey, index: UInt64($0)) >> 40) / 16_777_216 }
    #expect(abs(draws.reduce(0, +) / Double(draws.count) - 0.5) < 0.01)
  }
}
