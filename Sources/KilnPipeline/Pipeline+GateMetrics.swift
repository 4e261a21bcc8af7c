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
  /// The names come from the one place that makes them: `Evaluator`, run on the test split with
  /// an untrained network of the experiment's shape (the bootstrap cut to 10 resamples, which
  /// changes no name). So they follow the dataset's label kind and classes, its sensitive
  /// attributes and the groups present, the intersections and the robustness settings exactly.
  /// - Throws: `ConfigurationError` listing each gate whose metric (or wildcard) matches no
  ///   computed name, with the nearest name as did-you-mean and the names of its family.
  static func checkGateMetrics(_ configuration: ExperimentConfiguration, locations: [String: String], file: String,
                               datasetFile: URL) throws {
    let gates = configuration.gates ?? []
    guard !gates.isEmpty else { return }
    let names = try computedMetricNames(configuration, datasetFile: datasetFile)
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

  /// Every metric name evaluating `configuration`'s model on the test split of `datasetFile` yields.
  static func computedMetricNames(_ configuration: ExperimentConfiguration, datasetFile: URL) throws -> Set<String> {
    let dataset = try KilnDataset.open(datasetFile)
    defer { try? dataset.close() }
    let metadata = dataset.metadata
    let head = try ModelHead.forDataset(dataset)
    var network = ModelFactory.makeModel(configuration.model, inputSize: metadata.featureCount, outputSize: head.outputSize,
                                         seed: configuration.training.seed)
    network.setTraining(false)
    let untrained = TrainedModel(configuration: configuration, model: network, datasetFingerprint: metadata.fingerprint, head: head,
                                 inputSize: metadata.featureCount, runID: "")
    var evaluation = configuration.evaluation ?? EvaluationConfiguration()
    evaluation.bootstrap = EvaluationConfiguration.Bootstrap(resamples: 10, confidence: evaluation.bootstrap?.confidence)
    let result = try Evaluator(configuration: evaluation, seed: configuration.training.seed).evaluate(untrained, on: dataset)
    return Set(result.namedMetrics.keys)
  }
}
