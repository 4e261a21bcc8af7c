import Foundation
import KilnData
import KilnSweep
import KilnConfiguration
import KilnTraining

extension SweepWorkflow {
  /// Fails before the first trial when the sweep's objective is not a validation metric the
  /// dataset's label kind computes (`validation.rmse` on a classifier, `validation.roc_auc` on a
  /// regression model), or when its direction is the opposite of the metric's (maximising a loss
  /// or an error, minimising accuracy or R²), which would make the worst trial the best.
  /// A dataset that cannot be opened yet is left to the trials to report; the direction is checked
  /// for the validation metrics Kiln computes, whose direction is known.
  static func checkObjective(_ plan: SweepPlan, configuration: ExperimentConfiguration, layout: ProjectLayout) throws {
    let metric = plan.objectiveMetric
    if metric.hasPrefix("validation."), let dataset = try? KilnDataset.open(Trainer.datasetURL(configuration, layout: layout)) {
      let metadata = dataset.metadata
      try? dataset.close()
      let head: ModelHead = metadata.labelKind == .regression ? .regression(mean: 0, scale: 1)
        : metadata.classes.count == 2 ? .binary : .multiclass(classCount: metadata.classes.count)
      let computed = ValidationMetrics.names(for: head)
      guard computed.contains(metric) else {
        throw SweepError("sweep.objective.metric is `\(metric)`, which a \(head.labelKind.rawValue) model's validation does not compute",
                         hint: "use one of: \(computed.joined(separator: ", "))")
      }
    }
    let known = [ModelHead.binary, .multiclass(classCount: 3), .regression(mean: 0, scale: 1)].flatMap(ValidationMetrics.names(for:))
    let expected: Direction = ValidationMetrics.maximizes(metric) ? .maximize : .minimize
    guard !known.contains(metric) || plan.direction == expected else {
      throw SweepError("sweep.objective: `\(metric)` is \(expected == .minimize ? "lower" : "higher")-is-better, "
                       + "but the direction is \(plan.direction.rawValue): the worst trial would be taken as the best",
                       hint: "write `objective: {metric: \(metric), direction: \(expected.rawValue)}`")
    }
  }
}
