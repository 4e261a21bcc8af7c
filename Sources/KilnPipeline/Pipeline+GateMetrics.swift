import Foundation
import KilnData
import KilnReport
import KilnTensor
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnPromotion
import KilnTuning

extension Pipeline {
  /// Checks, before training, that every gate names a metric the evaluation will compute.
  ///
  /// The names come from `Evaluator.metricNames`, the evaluation itself on an untrained network.
  /// - Throws: `ConfigurationError` listing each gate whose metric (or wildcard) matches no
  ///   computed name, with the nearest name as did-you-mean and the names of its family.
  static func checkGateMetrics(_ configuration: ExperimentConfiguration, locations: [String: String], file: String,
                               datasetFile: URL) throws {
    let gates = configuration.gates ?? []
    guard !gates.isEmpty else { return }
    let names = try Evaluator.metricNames(configuration, datasetFile: datasetFile)
    let evaluator = GateEvaluator()
    var problems: [ConfigurationError.Problem] = []
    for (index, gate) in gates.enumerated() {
      guard let reason = evaluator.unmatchedReason(gate, among: names) else { continue }
      let keyPath = "gates[\(index)].metric"
      let suggestion = gate.metric.contains("*") ? nil : nearestKey(to: gate.metric, among: names.sorted())
      problems.append(.init(code: .unknownMetric, location: locations[keyPath] ?? file, keyPath: keyPath,
                            message: reason,
                            hint: suggestion.map { "did you mean `\($0)`?" } ?? "see docs/promotion.md for the metric names of each label kind"))
    }
    if !problems.isEmpty { throw ConfigurationError(problems) }
  }
}
