import Foundation
import KilnMetricDirection
import KilnReport
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

/// The shipped experiment files name metrics their label kind computes, in the right direction.
@Suite struct ShippedExperimentsTests {
  static let experiments = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("experiments")

  static func load(_ name: String) throws -> ExperimentConfiguration {
    try ExperimentConfiguration.load(file: experiments.appendingPathComponent("\(name).yaml"))
  }

  @Test(arguments: [("adult-mlp", ModelHead.binary), ("adult-logreg", .binary), ("german-mlp", .binary),
                    ("adult-occupation-mlp", .multiclass(classCount: 14)), ("adult-hours-mlp", .regression(mean: 0, scale: 1))])
  func validationMetricsAreTheKindsAndSweepsRunTheMetricsDirection(name: String, head: ModelHead) throws {
    let configuration = try Self.load(name)
    let computed = ValidationMetrics.names(for: head)
    if let selection = configuration.training.selectionMetric { #expect(computed.contains(selection), "\(name): \(selection)") }
    if let stopping = configuration.training.earlyStopping {
      #expect(computed.contains(stopping.metric))
      #expect(stopping.direction == MetricDirection(forMetric: stopping.metric), "\(name): \(stopping)")
    }
    guard let sweep = configuration.sweep else { return }
    #expect(!sweep.allObjectives.isEmpty, "\(name)")
    for objective in sweep.allObjectives {
      #expect(computed.contains(objective.metric), "\(name): \(objective.metric)")
      #expect(objective.direction == MetricDirection(forMetric: objective.metric), "\(name)")
    }
  }

  @Test(arguments: [("adult-occupation-mlp", ["accuracy", "macro_f1", "log_loss", "accuracy_difference"]),
                    ("adult-hours-mlp", ["rmse", "mae", "r2", "mae_difference", "mean_prediction_difference"])])
  func multiclassAndRegressionExamplesGateOnIntervalBoundsFairnessAndTheChampion(name: String, family: [String]) throws {
    let configuration = try Self.load(name)
    let gates = try #require(configuration.gates)
    for gate in gates {
      let last = String(gate.metric.split(separator: ".").last!)
      #expect(family.contains(last), "\(name): gate on \(gate.metric) is not a metric of its kind")
    }
    func isBound(_ threshold: Gate.Threshold) -> (min: Bool, max: Bool) {
      switch threshold {
      case .atLeast: return (true, false)
      case .atMost: return (false, true)
      case .range: return (true, true)
      case .versusChampion, .versusChampionRelative: return (false, false)
      }
    }
    #expect(gates.contains { $0.metric.hasPrefix("test.") && $0.bound == .ciLower && isBound($0.threshold).min })
    #expect(gates.contains { $0.bound == .ciUpper && isBound($0.threshold).max })
    #expect(gates.contains { $0.metric.hasPrefix("fairness.sex.") && $0.severity != .warn })
    #expect(gates.contains { if case .versusChampion = $0.threshold { return true } else { return false } })
    #expect(configuration.evaluation?.sensitive == ["sex", "race"])
    #expect(configuration.evaluation?.bootstrap != nil && configuration.evaluation?.robustness != nil)
    #expect(configuration.card?.overview?.isEmpty == false)
    #expect(configuration.monitoring != nil)
    #expect(configuration.sweep != nil)
  }
}
