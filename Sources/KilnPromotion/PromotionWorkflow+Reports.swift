import Foundation
import KilnMetrics
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension PromotionWorkflow {
  /// Most points drawn per learning curve; longer histories are thinned evenly (first and last kept).
  static let learningCurvePoints = 200

  /// Writes `reports/MODEL/vN/` for a version: the model card (Markdown, HTML, JSON) and `promotion.json`.
  /// - Parameter card: evaluation results the pipeline computed (curves, groups, confusion);
  ///   its run-derived fields are filled in here.
  static func writeReports(version: ModelVersionRecord, report: GateReport, run: RunRecord, configuration: ExperimentConfiguration,
                           approval: ModelCardInput.Approval?, overrideReason: String?, card: ModelCardInput?, tracker: Tracker,
                           layout: ProjectLayout) throws -> (PromotionRecord, [URL]) {
    var input = try cardInput(version: version, report: report, run: run, configuration: configuration, template: card, tracker: tracker)
    input.auditHead = try tracker.auditHead()
    input.approval = approval
    let record = PromotionRecord(model: version.modelName, version: version.version, runID: run.id, decision: report.decision.verdict,
                                 forced: overrideReason != nil, overrideReason: overrideReason, approver: approval?.approver,
                                 stage: version.stage.rawValue, championVersion: report.champion?.version,
                                 gates: report.decision.results, lineage: input.lineage, evidence: report.evidence,
                                 generatedTime: input.generatedTime, auditHead: input.auditHead,
                                 signedApproval: approval?.signedApproval)
    let files = try ReportWriter.write(card: input, promotion: record, reportsDirectory: layout.reportsDirectory)
    return (record, files)
  }

  /// The card's input: the template's evaluation results, completed from the run and the registry.
  static func cardInput(version: ModelVersionRecord, report: GateReport, run: RunRecord, configuration: ExperimentConfiguration,
                        template: ModelCardInput?, tracker: Tracker) throws -> ModelCardInput {
    let lineage = ModelCardInput.Lineage(runID: run.id, gitCommit: version.gitCommit, configurationHash: version.configurationHash,
                                         datasetFingerprint: version.datasetFingerprint, checkpointArtifact: version.checkpointArtifact,
                                         checkpointSHA256: version.checkpointSHA256)
    let template = try template ?? storedCardTemplate(runID: run.id, tracker: tracker) ?? evaluationTemplate(runID: run.id, tracker: tracker)
    var input = template ?? ModelCardInput(modelName: version.modelName, version: version.version, generatedTime: tracker.clock(),
                                           architecture: "", lineage: lineage)
    input.modelName = version.modelName
    input.version = version.version
    input.generatedTime = tracker.clock()
    input.lineage = lineage
    input.decision = report.decision
    input.metrics = cardMetrics(report)
    input.architecture = architecture(configuration.model)
    input.prose = prose(configuration)
    if input.hyperparameters.isEmpty {
      input.hyperparameters = configuration.flattenedParameters().filter { $0.key.hasPrefix("training.") || $0.key.hasPrefix("model.") }
    }
    if input.learningCurves.isEmpty { input.learningCurves = try learningCurves(runID: run.id, tracker: tracker) }
    let inputs = try tracker.store.datasetInputs(runID: run.id)
    if input.trainingData.isEmpty {
      input.trainingData = inputs.filter { $0.split != "test" }
        .map { ModelCardInput.DataDescription(name: "\($0.name) \($0.version)", split: $0.split.isEmpty ? "all" : $0.split, fingerprint: $0.fingerprint) }
    }
    if input.evaluationData.isEmpty {
      let name = inputs.first.map { "\($0.name) \($0.version)" } ?? configuration.dataset
      input.evaluationData = [ModelCardInput.DataDescription(name: name, split: "test", fingerprint: version.datasetFingerprint)]
    }
    if input.isBinary, input.decisionThreshold == nil, let threshold = report.metrics["test.threshold"], threshold.isDefined {
      input.decisionThreshold = threshold.value
    }
    if input.isBinary, input.decisionThreshold == nil { input.decisionThreshold = configuration.evaluation?.threshold ?? 0.5 }
    if report.evidence != evaluationArtifact, template == nil {
      input.uncertaintyMethod = "none: point estimates from the run's tracked final metric values (no bootstrap)"
    }
    return input
  }

  /// The metrics the card's overall table lists: the split metrics, the named fairness measures
  /// (`fairness.sex.demographic_parity_difference`) and every metric a gate read. Per-group
  /// values are in the group table instead, and the full set stays in `evaluation.json`.
  static func cardMetrics(_ report: GateReport) -> [String: MetricEstimate] {
    let gated = Set(report.decision.results.map(\.metric))
    return report.metrics.filter { name, _ in
      if gated.contains(name) { return true }
      if name.hasPrefix("train.") || name.hasPrefix("validation.") { return false }
      guard name.hasPrefix("fairness.") else { return true }
      let parts = name.split(separator: ".")
      return parts.count == 3 && !["count", "positives"].contains(parts[2])
    }
  }

  /// The run artifact holding the card's evaluation fields (curves, groups, confusion), written by
  /// the pipeline so later promotions of the same run redraw the same plots.
  public static let cardArtifact = "evaluation/model-card-input.json"

  /// For a run evaluated by `kiln evaluate` (no pipeline template): a template from its
  /// `evaluation.json` (groups, confusion matrix, robustness; no curves or scatter plots, which
  /// need the rows). Nil for a run without an evaluation.
  static func evaluationTemplate(runID: String, tracker: Tracker) throws -> ModelCardInput? {
    guard let artifact = try tracker.store.artifacts(runID: runID).first(where: { $0.name == EvaluationWorkflow.artifactName(split: "test") }),
          let result = try? EvaluationResult.decode(try Data(contentsOf: tracker.artifactStore.url(for: artifact))) else { return nil }
    let resamples = result.namedMetrics.values.compactMap { $0.interval?.resamples }.first
    return result.cardTemplate(uncertaintyMethod: resamples.map { "percentile bootstrap over \($0) resamples" } ?? "none (point estimates)",
                               splits: [])
  }

  /// The card template stored with the run, if any.
  static func storedCardTemplate(runID: String, tracker: Tracker) throws -> ModelCardInput? {
    guard let artifact = try tracker.store.artifacts(runID: runID).first(where: { $0.name == cardArtifact }) else { return nil }
    let data = try Data(contentsOf: tracker.artifactStore.url(for: artifact))
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return try? decoder.decode(ModelCardInput.self, from: data)
  }

  /// "mlp 64 → 64, relu, dropout 0.1".
  static func architecture(_ model: ModelConfiguration) -> String {
    var parts = [model.kind.rawValue]
    if let hidden = model.hidden, !hidden.isEmpty { parts[0] += " " + hidden.map(String.init).joined(separator: " → ") }
    if let activation = model.activation { parts.append(activation.rawValue) }
    if let dropout = model.dropout, dropout > 0 { parts.append("dropout \(dropout)") }
    return parts.joined(separator: ", ")
  }

  static func prose(_ configuration: ExperimentConfiguration) -> ModelCardInput.Prose {
    let card = configuration.card
    return ModelCardInput.Prose(
      overview: card?.overview ?? configuration.description ?? "", owners: card?.owners ?? [], license: card?.license,
      references: card?.references ?? [], intendedUses: card?.intendedUses ?? [], intendedUsers: card?.intendedUsers ?? [],
      outOfScopeUses: card?.outOfScopeUses ?? [], factors: card?.factors ?? configuration.evaluation?.sensitive ?? [],
      ethicalConsiderations: (card?.ethicalConsiderations ?? []).map { .init(name: $0.name, mitigation: $0.mitigation) },
      caveats: card?.caveats ?? [])
  }

  /// The run's `train.*` and `validation.*` histories, thinned to `learningCurvePoints` each.
  static func learningCurves(runID: String, tracker: Tracker) throws -> [ModelCardInput.Curve] {
    let keys = try tracker.store.latestMetrics(runID: runID).keys
      .filter { $0.hasPrefix("train.") || $0.hasPrefix("validation.") }.sorted()
    return try keys.map { key in
      let history = try tracker.metricHistory(runID: runID, key: key)
      let stride = max(1, (history.count + learningCurvePoints - 1) / learningCurvePoints)
      var kept = history.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
      if let last = history.last, kept.last != last { kept.append(last) }
      return ModelCardInput.Curve(name: key, points: kept.map { .init(x: Double($0.step), y: $0.value) })
    }
  }
}
