import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

private func epoch(_ index: Int, _ value: Double) -> TrainingEvent {
  .epochEnded(EpochSummary(epoch: index, globalStep: index * 10, trainingLoss: 0.5, validationMetrics: ["validation.roc_auc": value],
                           learningRate: 1e-3, seconds: 1))
}

@Suite struct EarlyStoppingTests {
  @Test func stopsAfterPatienceEpochsWithoutImprovement() throws {
    let stopping = EarlyStopping(metric: "validation.roc_auc", direction: .maximize, patience: 2, minDelta: 0.001)
    #expect(try stopping.handle(epoch(0, 0.80)) == .proceed)
    #expect(try stopping.handle(epoch(1, 0.85)) == .proceed)
    // 0.8505 is within min_delta of the best: no improvement.
    #expect(try stopping.handle(epoch(2, 0.8505)) == .proceed)
    let directive = try stopping.handle(epoch(3, 0.84))
    guard case .stop(let reason) = directive else {
      Issue.record("expected a stop, got \(directive)")
      return
    }
    #expect(reason.contains("epoch 2"))
    #expect(stopping.best?.value == 0.85)
  }

  @Test func anImprovementResetsPatienceAndMinimisingWorks() throws {
    let stopping = EarlyStopping(metric: "validation.roc_auc", direction: .minimize, patience: 2)
    _ = try stopping.handle(epoch(0, 0.5))
    _ = try stopping.handle(epoch(1, 0.6))
    #expect(try stopping.handle(epoch(2, 0.4)) == .proceed)
    #expect(try stopping.handle(epoch(3, 0.45)) == .proceed)
    #expect(try stopping.handle(epoch(4, 0.41)) != .proceed)
  }

  @Test func anUncomputedMetricIsAConfigurationError() {
    let stopping = EarlyStopping(metric: "validation.f1", direction: .maximize, patience: 1)
    #expect(throws: TrainingError.self) { try stopping.handle(epoch(0, 0.5)) }
  }
}

@Suite struct ProgressReporterTests {
  @Test func plainModePrintsPeriodicLinesAndASummary() throws {
    var output: [String] = []
    var now = 0.0
    let reporter = ProgressReporter(mode: .plain, plainInterval: 1, write: { output.append($0) }, clock: { now })
    _ = try reporter.handle(.started(TrainingPlan(epochs: 2, stepsPerEpoch: 4, samplesPerEpoch: 400)))
    _ = try reporter.handle(.epochStarted(epoch: 0))
    for step in 0..<4 {
      now += 0.6
      _ = try reporter.handle(.batchEnded(BatchSummary(epoch: 0, stepInEpoch: step, globalStep: step + 1, loss: 0.5, samples: 100, learningRate: 1e-3)))
    }
    _ = try reporter.handle(epoch(0, 0.9))
    _ = try reporter.handle(.finished(.completed(epochs: 1)))
    let progressLines = output.filter { $0.hasPrefix("epoch 1/2 ") && $0.contains("samples/s") }
    // Steps at 0.6 s (first line), 1.2 s (too soon), 1.8 s (line), 2.4 s (too soon).
    #expect(progressLines.count == 2)
    #expect(!output.joined().contains("\u{1B}"))
    #expect(output.contains { $0.contains("validation.roc_auc 0.9000") })
    #expect(output.last?.contains("completed 1 epochs") == true)
    #expect(output.last?.contains("167 samples/s") == true)
  }

  @Test func terminalModeRedrawsOneLineWithABar() throws {
    var output: [String] = []
    var now = 0.0
    let reporter = ProgressReporter(mode: .terminal, write: { output.append($0) }, clock: { now })
    _ = try reporter.handle(.started(TrainingPlan(epochs: 1, stepsPerEpoch: 2, samplesPerEpoch: 20)))
    now = 1
    _ = try reporter.handle(.batchEnded(BatchSummary(epoch: 0, stepInEpoch: 0, globalStep: 1, loss: 1, samples: 10, learningRate: 1)))
    let line = try #require(output.last)
    #expect(line.hasPrefix("\r"))
    #expect(line.contains("[############............]"))
    #expect(line.contains("ETA 0:01"))
  }

  @Test func durationsFormatAsClockTime() {
    #expect(formatDuration(5) == "0:05")
    #expect(formatDuration(3725) == "1:02:05")
  }
}
