import KilnRecipes
import Foundation
import KilnData
import KilnDistributed
import KilnMetrics
import KilnReport
import KilnTensor
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnPromotion
import KilnTuning

/// How the pipeline reports progress and what it records as the command line.
public struct PipelineOptions: Sendable {
  /// Which sweep's best trial configures the training step.
  public enum SweepSource: Sendable, Equatable {
    /// The newest finished sweep of the experiment with a complete trial, if there is one.
    case latest
    /// This sweep run.
    case run(String)
    /// None: train the experiment file as written.
    case ignore
  }

  public var progress: ProgressReporter.Mode
  public var commandLine: [String]
  public var sweep: SweepSource
  /// `KEY=VALUE` overrides applied to the experiment file (after a sweep's, so they win).
  public var overrides: [String]
  /// Extra tags on the training run.
  public var tags: [String: String]
  public init(progress: ProgressReporter.Mode = .plain, commandLine: [String] = [], sweep: SweepSource = .latest,
              overrides: [String] = [], tags: [String: String] = [:]) {
    self.progress = progress
    self.commandLine = commandLine
    self.sweep = sweep
    self.overrides = overrides
    self.tags = tags
  }
}

/// The golden path, `kiln pipeline EXPERIMENT`: import the dataset when its HDF5 file is missing
/// or older than its recipe → train → evaluate → gate → register → promote to staging when the
/// gates pass (production still needs an approver) → write the reports. After a sweep, training
/// takes its best trial's configuration; after a multi-objective sweep on an experiment with
/// gates, that of the best Pareto point that passes the gates on validation (`gateAwareChoice`).
public enum Pipeline {
  /// Runs every step; the returned summary names the run, the decision and the report files.
  public static func run(experimentFile: URL, layout: ProjectLayout, options: PipelineOptions,
                         log: (String) -> Void = { _ in }) throws -> PipelineSummary {
    var (configuration, locations) = try ExperimentConfiguration.loadLocated(file: experimentFile, overrides: options.overrides)
    let (datasetFile, imported) = try ensureDataset(configuration, layout: layout)
    log(imported ? "dataset: imported \(ProjectLayout.relative(datasetFile, to: layout))" : "dataset: \(ProjectLayout.relative(datasetFile, to: layout)) is up to date")
    var trainingOptions = TrainingOptions()
    trainingOptions.progress = options.progress
    trainingOptions.progressToStandardError = true
    trainingOptions.commandLine = options.commandLine
    trainingOptions.tags.merge(options.tags) { $1 }
    var sweepChoice: SweepChoice?
    if let (sweepRunID, summary) = try bestSweep(options.sweep, experiment: configuration.name, layout: layout),
       var chosen = summary.best {
      let gates = configuration.gates ?? []
      var choice = SweepChoice(sweepRunID: sweepRunID, trial: chosen.number, selection: .best, rejected: [])
      if !summary.paretoFront.isEmpty && !gates.isEmpty {
        (chosen, choice.rejected) = try gateAwareChoice(summary, gates: gates, tracker: try Tracker(layout: layout), log: log)
        (choice.trial, choice.selection) = (chosen.number, .gateAware)
      }
      let overrides = summary.overrides(for: chosen)
      (configuration, locations) = try ExperimentConfiguration.loadLocated(file: experimentFile, overrides: overrides + options.overrides)
      trainingOptions.tags["sweep.source"] = sweepRunID
      trainingOptions.tags["sweep.trial"] = String(chosen.number)
      trainingOptions.tags["sweep.selection"] = choice.selection.rawValue
      let why = choice.selection == .gateAware ? "passes the gates on validation" : "is the best (\(summary.session.plan.objectiveMetric) = "
        + "\(RunFormatting.number(chosen.value ?? .nan)))"
      log("sweep: trial \(chosen.number) of sweep \(sweepRunID) \(why); training with \(overrides.map { "--set \($0)" }.joined(separator: " "))")
      sweepChoice = choice
    }
    try checkGateMetrics(configuration, locations: locations, file: experimentFile.path, datasetFile: datasetFile)
    let training = try Trainer.train(configuration, layout: layout, communicator: LocalCommunicator(), options: trainingOptions)
    log("train: run \(training.runID)")
    let evaluation = try evaluate(training: training, configuration: configuration, datasetFile: datasetFile, layout: layout)
    log("evaluate: \(evaluation.result.namedMetrics.count) metrics on \(evaluation.result.rowCount) \(evaluation.result.split) rows")
    var card = evaluation.card
    if let comparison = try unmitigatedComparison(configuration, mitigated: training, result: evaluation.result, options: trainingOptions,
                                                  layout: layout, log: log) {
      card.mitigation = comparison
    }
    let tracker = try Tracker(layout: layout)
    try logJSON(card, name: PromotionWorkflow.cardArtifact, runID: training.runID, tracker: tracker)
    let outcome = try PromotionWorkflow.registerAndGate(runID: training.runID, model: configuration.name, card: card, layout: layout)
    return PipelineSummary(experiment: configuration.name, datasetFile: datasetFile, datasetImported: imported, runID: training.runID,
                           metrics: evaluation.result.namedMetrics, outcome: outcome, layout: layout, sweep: sweepChoice)
  }

  /// The sweep whose best trial configures training, with its summary; nil when there is none.
  static func bestSweep(_ source: PipelineOptions.SweepSource, experiment: String,
                        layout: ProjectLayout) throws -> (String, SweepSummary)? {
    switch source {
    case .ignore:
      return nil
    case .run(let id):
      let summary = try SweepSummary(session: try SweepSession.open(sweepRunID: id, layout: layout))
      guard summary.best != nil else {
        throw SweepError("sweep \(id) has no complete trial to take a configuration from",
                         hint: "finish it with `kiln sweep --resume \(id)`, or run the pipeline without --sweep")
      }
      return (summary.run.id, summary)
    case .latest:
      guard layout.store.exists else { return nil }
      let tracker = try Tracker(layout: layout)
      let sweeps = try tracker.runs(RunQuery(experiment: experiment, status: .finished, tags: ["kind": "sweep"], limit: 5))
      for sweep in sweeps {
        let summary = try SweepSummary(session: try SweepSession.open(sweepRunID: sweep.id, layout: layout))
        if summary.best != nil { return (sweep.id, summary) }
      }
      return nil
    }
  }

  /// The dataset file, imported first from `dataset.yaml` beside it when missing or older than the recipe.
  static func ensureDataset(_ configuration: ExperimentConfiguration, layout: ProjectLayout) throws -> (URL, imported: Bool) {
    let file = Trainer.datasetURL(configuration, layout: layout)
    let recipe = file.deletingLastPathComponent().appendingPathComponent("dataset.yaml")
    let manager = FileManager.default
    func modified(_ url: URL) -> Date? { (try? manager.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date }
    guard manager.fileExists(atPath: recipe.path) else {
      guard manager.fileExists(atPath: file.path) else {
        throw DatasetError(.missingFile, "\(file.path) does not exist and there is no recipe at \(recipe.path) to import it from",
                           hint: "put the dataset's recipe (dataset.yaml) beside the .h5 the experiment names")
      }
      return (file, false)
    }
    if let built = modified(file), let written = modified(recipe), built >= written { return (file, false) }
    _ = try DatasetImporter.importDataset(recipe: recipe, output: file)
    return (file, true)
  }

  /// Evaluates the run with `EvaluationWorkflow` (which stores `evaluation.json` and logs the
  /// named metrics), then scores the split once more for the card's curves.
  static func evaluate(training: TrainingResult, configuration: ExperimentConfiguration, datasetFile: URL,
                       layout: ProjectLayout) throws -> (result: EvaluationResult, card: ModelCardInput) {
    let result = try EvaluationWorkflow.evaluate(runID: training.runID, layout: layout)
    let model = try TrainedModel.load(checkpoint: training.checkpoint)
    let dataset = try KilnDataset.open(datasetFile)
    defer { try? dataset.close() }
    let rows = try dataset.rows(split: result.split)
    let metadata = dataset.metadata
    let splits = metadata.splitNames.map {
      ModelCardInput.DataDescription(name: "\(metadata.header.name) \(metadata.header.version)", split: $0,
                                     rows: metadata.splitSizes[$0], fingerprint: metadata.fingerprint)
    }
    let bootstrap = configuration.evaluation?.bootstrap
    let scheme = result.kind == .regression ? "row" : "stratified"
    let uncertainty = "\(Int(((bootstrap?.confidence ?? 0.95) * 100).rounded()))% percentile bootstrap over \(bootstrap?.resamples ?? 1000) \(scheme) resamples"
    let card: ModelCardInput
    switch model.head {
    case .binary:
      card = result.cardTemplate(labels: rows.labels.map(Int.init), scores: model.positiveProbabilities(features: rows.features, rowCount: rows.rowCount),
                                 classNames: metadata.classes.count == 2 ? metadata.classes : ["0", "1"],
                                 uncertaintyMethod: uncertainty, splits: splits)
    case .multiclass:
      card = result.cardTemplate(uncertaintyMethod: uncertainty, splits: splits)
    case .regression:
      card = result.cardTemplate(targets: rows.targets.map(Double.init),
                                 predictions: model.mixtureValues(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices,
                                                                  seed: configuration.training.seed)
                                   ?? model.regressionPredictions(features: rows.features, rowCount: rows.rowCount),
                                 uncertaintyMethod: uncertainty, splits: splits)
    }
    return (result, card)
  }

  /// Logs `value` as JSON to a finished run under `name`.
  static func logJSON<T: Encodable>(_ value: T, name: String, runID: String, tracker: Tracker) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: temporary) }
    try encoder.encode(value).write(to: temporary)
    let stored = try tracker.artifactStore.store(file: temporary)
    try tracker.store.insertArtifact(ArtifactRecord(name: name, sha256: stored.sha256, size: stored.size,
                                                    storagePath: stored.storagePath, loggedTime: tracker.clock()), runID: runID)
  }
}
