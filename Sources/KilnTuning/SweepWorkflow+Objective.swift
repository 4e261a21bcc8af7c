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
  /// A `validation.fairness.ATTR.…` objective must name a sensitive attribute of the dataset.
  static func checkObjective(_ plan: SweepPlan, configuration: ExperimentConfiguration, layout: ProjectLayout) throws {
    for metric in plan.objectives.map(\.metric) where metric.hasPrefix("validation.") {
      guard let dataset = try? KilnDataset.open(Trainer.datasetURL(configuration, layout: layout)) else { return }
      let metadata = dataset.metadata
      try? dataset.close()
      let head: ModelHead = metadata.labelKind == .regression ? .regression(mean: 0, scale: 1)
        : metadata.classes.count == 2 ? .binary : .multiclass(classCount: metadata.classes.count)
      if metric.hasPrefix(ValidationMetrics.fairnessPrefix + ".") {
        // The measure's name is checked when the first epoch is measured; the attribute now.
        let attribute = metric.dropFirst(ValidationMetrics.fairnessPrefix.count + 1).split(separator: ".").first.map(String.init) ?? ""
        let known = metadata.sensitive.map(\.name)
        guard !attribute.isEmpty, attribute.split(separator: "&").allSatisfy({ known.contains(String($0)) }) else {
          throw SweepError("the sweep's objective `\(metric)` names the sensitive attribute `\(attribute)`, which the dataset does not have",
                           hint: known.isEmpty ? "declare sensitive attributes in the dataset recipe and re-import"
                                               : "use one of: \(known.map { "\(ValidationMetrics.fairnessPrefix).\($0).equalized_odds_difference" }.joined(separator: ", "))")
        }
        continue
      }
      let computed = ValidationMetrics.names(for: head)
      guard computed.contains(metric) else {
        throw SweepError("the sweep's objective is `\(metric)`, which a \(head.labelKind.rawValue) model's validation does not compute",
                         hint: "use one of: \(computed.joined(separator: ", "))")
      }
    }
  }
}
