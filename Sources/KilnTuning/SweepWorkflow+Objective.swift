import Foundation
import KilnData
import KilnSweep
import KilnConfiguration
import KilnTraining

extension SweepWorkflow {
  /// Fails before the first trial when the sweep's objective is not a validation metric the
  /// dataset's label kind computes (`validation.rmse` on a classifier, `validation.roc_auc` on a
  /// regression model). A dataset that cannot be opened yet is left to the trials to report. (A
  /// direction opposite to the metric's is refused when the experiment file is validated.)
  static func checkObjective(_ plan: SweepPlan, configuration: ExperimentConfiguration, layout: ProjectLayout) throws {
    for metric in plan.objectives.map(\.metric) where metric.hasPrefix("validation.") {
      guard let dataset = try? KilnDataset.open(Trainer.datasetURL(configuration, layout: layout)) else { return }
      let metadata = dataset.metadata
      try? dataset.close()
      let head: ModelHead = metadata.labelKind == .regression ? .regression(mean: 0, scale: 1)
        : metadata.classes.count == 2 ? .binary : .multiclass(classCount: metadata.classes.count)
      let computed = ValidationMetrics.names(for: head)
      guard computed.contains(metric) else {
        throw SweepError("the sweep's objective is `\(metric)`, which a \(head.labelKind.rawValue) model's validation does not compute",
                         hint: "use one of: \(computed.joined(separator: ", "))")
      }
    }
  }
}
