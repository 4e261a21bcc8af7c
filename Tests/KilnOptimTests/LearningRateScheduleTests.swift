import KilnOptim
import Testing

@Suite struct LearningRateScheduleTests {
  @Test func stepDecayDropsEveryStepSize() throws {
    let schedule = try StepDecay(initialLearningRate: 1, stepSize: 10, factor: 0.5)
    #expect(schedule.learningRate(atStep: 9) == 1)
    #expect(schedule.learningRate(atStep: 10) == 0.5)
    #expect(schedule.learningRate(atStep: 25) == 0.25)
  }

  @Test func exponentialDecayMultipliesEachStep() throws {
    let schedule = try ExponentialDecay(initialLearningRate: 2, factor: 0.9)
    #expect(Swift.abs(schedule.learningRate(atStep: 2) - 1.62) < 1e-6)
  }

  @Test func cosineWarmsUpLinearlyThenDecaysToTheMinimum() throws {
    let schedule = try CosineDecayWithWarmup(peakLearningRate: 1, warmupSteps: 4, totalSteps: 14,
                                             minimumLearningRate: 0.1)
    #expect(schedule.learningRate(atStep: 0) == 0.25)
    #expect(schedule.learningRate(atStep: 3) == 1)
    #expect(schedule.learningRate(atStep: 4) == 1)
    #expect(Swift.abs(schedule.learningRate(atStep: 9) - 0.55) < 1e-6)
    #expect(Swift.abs(schedule.learningRate(atStep: 14) - 0.1) < 1e-6)
    #expect(Swift.abs(schedule.learningRate(atStep: 100) - 0.1) < 1e-6)
  }

  @Test func reduceOnPlateauWaitsForPatienceThenCuts() throws {
    var schedule = try ReduceLearningRateOnPlateau(learningRate: 1, factor: 0.5, patience: 2)
    #expect(schedule.record(1.0) == 1)
    #expect(schedule.record(0.9) == 1)
    #expect(schedule.record(0.95) == 1)
    #expect(schedule.record(0.91) == 1)
    #expect(schedule.record(0.92) == 0.5)
    #expect(schedule.record(0.5) == 0.5)
  }

  @Test func schedulesRejectBadSettings() {
    #expect(throws: OptimizerConfigurationError.self) {
      try CosineDecayWithWarmup(peakLearningRate: 1, warmupSteps: 10, totalSteps: 5)
    }
    #expect(throws: OptimizerConfigurationError.self) { try StepDecay(initialLearningRate: 1, stepSize: 0) }
    #expect(throws: OptimizerConfigurationError.self) { try ReduceLearningRateOnPlateau(learningRate: 1, factor: 1) }
  }

  /// The schedules refuse a value by the experiment file's own key and rule, the one the
  /// configuration's validation also asks.
  @Test func aRefusedValueNamesTheExperimentFilesKey() {
    func refused(_ body: () throws -> Void) -> String? {
      do { try body() } catch let error as OptimizerConfigurationError { return error.parameter } catch { return "other" }
      return nil
    }
    #expect(refused { _ = try StepDecay(initialLearningRate: 1, stepSize: 0) } == "step_size")
    #expect(refused { _ = try StepDecay(initialLearningRate: 1, stepSize: 2, factor: 1.5) } == "gamma")
    #expect(refused { _ = try ExponentialDecay(initialLearningRate: 1, factor: 0) } == "gamma")
    #expect(refused { _ = try ReduceLearningRateOnPlateau(learningRate: 1, patience: 0) } == "patience")
    #expect(refused { _ = try ReduceLearningRateOnPlateau(learningRate: 1, minimumLearningRate: -1) } == "min_lr")
    #expect(refused { _ = try CosineDecayWithWarmup(peakLearningRate: 0, warmupSteps: 0, totalSteps: 5) } == "lr")
    #expect(refused { _ = try ReduceLearningRateOnPlateau(learningRate: 1, factor: 0.5, patience: 1) } == nil)
  }
}
