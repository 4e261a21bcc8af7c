import Foundation
import Testing
@testable import KilnSweep

@Suite struct StudyPlotsTests {
  static let rate = ParameterDistribution.float(low: 1e-4, high: 1e-2, scale: .logarithmic, step: nil)
  static let activation = ParameterDistribution.categorical([.string("relu"), .string("tanh")])
  static let trials = [
    TrialRecord(number: 0, state: .complete, parameters: ["lr": .float(1e-3), "act": .string("tanh")],
                distributions: ["lr": rate, "act": activation], values: [3]),
    TrialRecord(number: 1, state: .failed, error: "boom"),
    TrialRecord(number: 2, state: .complete, parameters: ["lr": .float(1e-2), "act": .string("relu")],
                distributions: ["lr": rate, "act": activation], values: [5]),
    TrialRecord(number: 3, state: .complete, parameters: ["lr": .float(1e-4)], distributions: ["lr": rate], values: [1]),
  ]

  @Test func historyTracksTheBestCompleteValueSoFar() {
    let history = OptimizationHistory(trials: Self.trials.reversed(), direction: .minimize)
    #expect(history.points.map(\.number) == [0, 1, 2, 3])
    #expect(history.points.map(\.bestValue) == [3, 3, 3, 1])
    let maximizing = OptimizationHistory(trials: Self.trials, direction: .maximize)
    #expect(maximizing.points.map(\.bestValue) == [3, 3, 5, 5])
  }

  @Test func parallelCoordinatesScaleEachAxisToTheUnitInterval() throws {
    let plot = ParallelCoordinates(trials: Self.trials)
    #expect(plot.axes.map(\.name) == ["act", "lr"])
    #expect(plot.axes[0].labels == ["relu", "tanh"])
    #expect(plot.lines.map(\.number) == [0, 2, 3])
    // lr is logarithmic: 1e-3 sits halfway between 1e-4 and 1e-2.
    #expect(abs(plot.lines[0].positions[1]! - 0.5) < 1e-12)
    #expect(plot.lines[0].positions[0] == 1)
    #expect(plot.lines[2].positions[0] == nil)
    #expect(plot.lines.map(\.valuePosition) == [0.5, 1, 0])
  }

  @Test func plotDataRoundTripsThroughJSON() throws {
    let plot = ParallelCoordinates(trials: Self.trials)
    let decoded = try JSONDecoder().decode(ParallelCoordinates.self, from: JSONEncoder().encode(plot))
    #expect(decoded == plot)
    let history = OptimizationHistory(trials: Self.trials, direction: .minimize)
    #expect(try JSONDecoder().decode(OptimizationHistory.self, from: JSONEncoder().encode(history)) == history)
  }
}
