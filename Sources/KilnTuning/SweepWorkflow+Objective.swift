import Foundation
import KilnData
import KilnSweep
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension SweepWorkflow {
  /// Fails before the first trial when the sweep's objective is not a validation metric the
  /// dataset's label kind computes (`validation.rmse` on a classifier, `validation.roc_auc` on a
  /// regression model). A dataset that cannot be opened yet is left to the trials to report. (A
  /// direction opposite to the metric's is refused when the experiment file is validated.)
  /// A `validation.fairness.ATTR.…` objective must name an attribute the evaluation audits
  /// (`evaluation.sensitive`, else every sensitive attribute of the dataset) and a measure it
  /// computes (`Evaluator.metricNames`), so a misspelt measure fails before the first trial.
  static func checkObjective(_ plan: SweepPlan, configuration: ExperimentConfiguration, layout: ProjectLayout) throws {
    var fairnessNames: [String]?
    for metric in plan.objectives.map(\.metric) where metric.hasPrefix("validation.") {
      guard let dataset = try? KilnDataset.open(Trainer.datasetURL(configuration, layout: layout)) else { return }
      let metadata = dataset.metadata
      try? dataset.close()
      let head: ModelHead = metadata.labelKind == .regression ? .regression(mean: 0, scale: 1)
        : metadata.classes.count == 2 ? .binary : .multiclass(classCount: metadata.classes.count)
      if metric.hasPrefix(ValidationMetrics.fairnessPrefix + ".") {
        let attribute = metric.dropFirst(ValidationMetrics.fairnessPrefix.count + 1).split(separator: ".").first.map(String.init) ?? ""
        // The attributes the evaluation audits: `evaluation.sensitive`, else every one of the dataset.
        let known = configuration.evaluation?.sensitive ?? metadata.sensitive.map(\.name)
        let example = head == .binary ? "equalized_odds_difference" : head.labelKind == .regression ? "mae_difference" : "accuracy_difference"
        guard !attribute.isEmpty, attribute.split(separator: "&").allSatisfy({ known.contains(String($0)) }) else {
          throw SweepError("the sweep's objective `\(metric)` names the sensitive attribute `\(attribute)`, which the evaluation does not audit",
                           hint: known.isEmpty ? "declare sensitive attributes in the dataset recipe and re-import, and list them in evaluation.sensitive"
                                               : "name one of the audited attributes (\(known.joined(separator: ", "))), e.g. "
                                                 + "\(ValidationMetrics.fairnessPrefix).\(known[0]).\(example)")
        }
        // The measure: the test evaluation's fairness names, under `validation.`.
        let names = try fairnessNames ?? Evaluator.metricNames(configuration, datasetFile: Trainer.datasetURL(configuration, layout: layout))
          .filter { $0.hasPrefix("fairness.") }.map { "validation." + $0 }
        fairnessNames = names
        guard names.contains(metric) else {
          let suggestion = nearestKey(to: metric, among: names.filter { $0.hasPrefix("\(ValidationMetrics.fairnessPrefix).\(attribute).") }.sorted())
          throw SweepError("the sweep's objective `\(metric)` is not a fairness measure the evaluation computes",
                           hint: suggestion.map { "did you mean `\($0)`?" } ?? "e.g. \(ValidationMetrics.fairnessPrefix).\(attribute).\(example); "
                             + "see docs/evaluation.md for the fairness names")
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
