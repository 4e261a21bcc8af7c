import Foundation
import Testing
@testable import KilnSweep

@Suite struct GridSamplerTests {
  static let space: [String: [ParameterValue]] = [
    "lr": [.float(1e-3), .float(1e-2), .float(1e-1)],
    "layers": [.integer(1), .integer(2)],
    "activation": [.string("relu"), .string("tanh")],
  ]

  @Test(arguments: [false, true])
  func gridIsCoveredExactlyOnceAndTheStudyStopsThere(shuffled: Bool) throws {
    let study = Study(sampler: GridSampler(space: GridSamplerTests.space, shuffled: shuffled), seed: 3)
    try study.optimize(trials: 50) { trial in
      let rate = trial.suggestFloat("lr", in: 1e-4...1, scale: .logarithmic)
      let layers = trial.suggestInt("layers", in: 1...4)
      let activation = trial.suggestCategorical("activation", ["relu", "tanh"])
      return rate * Double(layers) + (activation == "relu" ? 0 : 1)
    }
    let points = try study.trials().map { trial in
      [trial.parameters["lr"]!, trial.parameters["layers"]!, trial.parameters["activation"]!]
    }
    #expect(points.count == 12)
    #expect(Set(points).count == 12)
  }

  @Test func unshuffledGridVariesTheLastNameFastest() {
    let sampler = GridSampler(space: GridSamplerTests.space)
    // Names sorted: activation, layers, lr.
    #expect(sampler.gridPoint(forTrial: 0, seed: 0) == [0, 0, 0])
    #expect(sampler.gridPoint(forTrial: 1, seed: 0) == [0, 0, 1])
    #expect(sampler.gridPoint(forTrial: 3, seed: 0) == [0, 1, 0])
    #expect(sampler.gridPoint(forTrial: 11, seed: 0) == [1, 1, 2])
  }
}

@Suite struct GridSamplerParallelTests {
  @Test func parallelWorkersDoNotOvershootTheGrid() throws {
    let space: [String: [ParameterValue]] = ["x": (0..<7).map { .integer($0) }]
    let study = Study(sampler: GridSampler(space: space), seed: 1)
    try study.optimize(trials: 20, parallelism: 4) { trial in Double(trial.suggestInt("x", in: 0...6)) }
    let values = try study.trials().map { $0.parameters["x"]! }
    #expect(values.count == 7)
    #expect(Set(values).count == 7)
  }
}
