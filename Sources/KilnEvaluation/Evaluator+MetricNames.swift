import Foundation
import KilnData
import KilnConfiguration
import KilnTraining

extension Evaluator {
  /// Every metric name evaluating `configuration`'s model on the test split of `datasetFile`
  /// yields (`test.accuracy`, `fairness.sex.equalized_odds_difference`, …), for checking names
  /// before anything trains: gates, and a sweep's fairness objectives.
  ///
  /// The names come from the one place that makes them, the evaluation itself, run on the test
  /// split with an untrained network of the experiment's shape (the bootstrap cut to 10 resamples,
  /// which changes no name). So they follow the dataset's label kind and classes, its sensitive
  /// attributes and the groups present, the intersections and the robustness settings exactly.
  public static func metricNames(_ configuration: ExperimentConfiguration, datasetFile: URL) throws -> Set<String> {
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
