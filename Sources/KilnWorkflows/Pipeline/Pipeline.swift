import Foundation
import KilnData
import KilnDistributed
import KilnMetrics
import KilnReport
import KilnTensor
import KilnTracking

/// How the pipeline reports progress and what it records as the command line.
public struct PipelineOptions: Sendable {
  public var progress: ProgressReporter.Mode
  public var commandLine: [String]
  public init(progress: ProgressReporter.Mode = .plain, commandLine: [String] = []) {
    self.progress = progress
    self.commandLine = commandLine
  }
}

/// The golden path, `kiln pipeline EXPERIMENT`: import the dataset when its HDF5 file is missing
/// or older than its recipe → train → evaluate → gate → register → promote to staging when the
/// gates pass (production still needs an approver) → write the reports.
public enum Pipeline {
  /// Runs every step; the returned summary names the run, the decision and the report files.
  public static func run(experimentFile: URL, layout: ProjectLayout, options: PipelineOptions,
                         log: (String) -> Void = { _ in }) throws -> PipelineSummary {
    let configuration = try ExperimentConfiguration.load(file: experimentFile)
    let (datasetFile, imported) = try ensureDataset(configuration, layout: layout)
    log(imported ? "dataset: imported \(ProjectLayout.relative(datasetFile, to: layout))" : "dataset: \(ProjectLayout.relative(datasetFile, to: layout)) is up to date")
    var trainingOptions = TrainingOptions()
    trainingOptions.progress = options.progress
    trainingOptions.commandLine = options.commandLine
    let training = try Trainer.train(configuration, layout: layout, communicator: LocalCommunicator(), options: trainingOptions)
    log("train: run \(training.runID) \(training.outcome)")
    let tracker = try Tracker(layout: layout)
    let evaluation = try evaluate(training: training, configuration: configuration, datasetFile: datasetFile, tracker: tracker)
    log("evaluate: \(evaluation.result.metrics.count) metrics on \(evaluation.result.card.rows) test rows")
    let card = cardTemplate(evaluation.result, configuration: configuration, training: training, splits: evaluation.splits)
    try logJSON(card, name: PromotionWorkflow.cardArtifact, runID: training.runID, tracker: tracker)
    let outcome = try PromotionWorkflow.registerAndGate(runID: training.runID, model: configuration.name, card: card, layout: layout)
    return PipelineSummary(experiment: configuration.name, datasetFile: datasetFile, datasetImported: imported, runID: training.runID,
                           metrics: evaluation.result.metrics, outcome: outcome)
  }

  /// The dataset file, imported first from `dataset.yaml` beside it when missing or older than the recipe.
  static func ensureDataset(_ configuration: ExperimentConfiguration, layout: ProjectLayout) throws -> (URL, imported: Bool) {
    let file = configuration.dataset.hasPrefix("/") ? URL(fileURLWithPath: configuration.dataset)
      : layout.root.appendingPathComponent(configuration.dataset)
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

  /// Scores the test split with the trained model and measures it with KilnMetrics; stores the
  /// metrics as the run's `evaluation.json` artifact and logs the scalar ones to the run.
  /// - Returns: the evaluation, and the dataset's splits as the card describes them.
  static func evaluate(training: TrainingResult, configuration: ExperimentConfiguration, datasetFile: URL,
                       tracker: Tracker) throws -> (result: ScoredSplitEvaluation, splits: [ModelCardInput.DataDescription]) {
    let model = try TrainedModel.load(checkpoint: training.checkpoint)
    let dataset = try KilnDataset.open(datasetFile)
    defer { try? dataset.close() }
    let split = dataset.metadata.splitSizes["test"] != nil ? "test" : "validation"
    let batch = try dataset.rows(split: split)
    let scores = model.positiveProbabilities(features: batch.features, rowCount: batch.rowCount)
    let evaluation = configuration.evaluation
    let attributes = try (evaluation?.sensitive ?? []).map { name -> KilnMetrics.SensitiveAttribute in
      guard let codes = batch.sensitive[name], let meta = dataset.metadata.sensitive.first(where: { $0.name == name }) else {
        throw ConfigurationError(.outOfRange, location: "evaluation.sensitive", keyPath: "evaluation.sensitive",
                                 "the dataset has no sensitive attribute `\(name)`",
                                 hint: "known: \(dataset.metadata.sensitive.map(\.name).joined(separator: ", "))")
      }
      // Code −1 marks a missing or unmapped value.
      return KilnMetrics.SensitiveAttribute(name: name, values: codes.map { $0 >= 0 && Int($0) < meta.categories.count ? meta.categories[Int($0)] : "<missing>" })
    }
    let threshold = try decisionThreshold(model: model, evaluation: evaluation, dataset: dataset)
    var generator = SeededGenerator(seed: configuration.training.seed, stream: 7_919)
    let bootstrap = evaluation?.bootstrap.map { BootstrapConfiguration(resamples: $0.resamples, confidenceLevel: $0.confidence ?? 0.95) }
    let result = try ScoredSplitEvaluation(
      split: "test", labels: batch.labels.map(Int.init), scores: scores,
      threshold: threshold, attributes: attributes,
      intersections: evaluation?.intersections ?? [], minimumGroupSize: evaluation?.minGroupSize ?? 1, bootstrap: bootstrap,
      classNames: dataset.metadata.classes.count == 2 ? dataset.metadata.classes : ["0", "1"], using: &generator)
    try store(result.metrics, runID: training.runID, step: configuration.training.epochs, tracker: tracker)
    let metadata = dataset.metadata
    let splits = metadata.splitNames.map {
      ModelCardInput.DataDescription(name: "\(metadata.header.name) \(metadata.header.version)", split: $0,
                                     rows: metadata.splitSizes[$0], fingerprint: metadata.fingerprint)
    }
    return (result, splits)
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

  /// The threshold stored with the model; else, for `threshold_selection: f1 | youden_j`, the one
  /// that maximises it on the validation split (never the test split); else `threshold` or 0.5.
  static func decisionThreshold(model: TrainedModel, evaluation: EvaluationConfiguration?, dataset: KilnDataset) throws -> Double {
    if let stored = model.threshold { return stored }
    let criterion: ThresholdCriterion?
    switch evaluation?.thresholdSelection {
    case .f1?: criterion = .f1
    case .youdenJ?: criterion = .youdenJ
    case .fixed?, nil: criterion = nil
    }
    guard let criterion, dataset.metadata.splitSizes["validation"] != nil else { return evaluation?.threshold ?? 0.5 }
    let validation = try dataset.rows(split: "validation")
    let scores = model.positiveProbabilities(features: validation.features, rowCount: validation.rowCount)
    return DecisionThreshold.choose(labels: validation.labels.map(Int.init), scores: scores, maximizing: criterion).threshold
  }

  /// Writes `evaluation.json` as a run artifact and logs the `test.*` scalars to the run.
  static func store(_ metrics: [String: MetricEstimate], runID: String, step: Int, tracker: Tracker) throws {
    try logJSON(metrics, name: PromotionWorkflow.evaluationArtifact, runID: runID, tracker: tracker)
    let points = metrics.filter { $0.key.hasPrefix("test.") && $0.value.isDefined }.sorted { $0.key < $1.key }
      .map { MetricPoint(key: $0.key, step: Int64(step), value: $0.value.value, timestamp: tracker.clock()) }
    try tracker.store.appendMetrics(points, runID: runID)
  }

  /// A card whose evaluation fields come from `evaluation`; the promotion fills in the rest.
  static func cardTemplate(_ evaluation: ScoredSplitEvaluation, configuration: ExperimentConfiguration,
                           training: TrainingResult, splits: [ModelCardInput.DataDescription]) -> ModelCardInput {
    var card = ModelCardInput(modelName: configuration.name, version: 0, generatedTime: Date(), architecture: "",
                              lineage: .init(runID: training.runID, gitCommit: nil, configurationHash: "", datasetFingerprint: "",
                                             checkpointArtifact: "", checkpointSHA256: nil))
    card.groupMetrics = evaluation.card.groupMetrics
    card.rocCurve = evaluation.card.rocCurve
    card.precisionRecallCurve = evaluation.card.precisionRecallCurve
    card.reliability = evaluation.card.reliability
    card.confusion = evaluation.card.confusion
    card.decisionThreshold = evaluation.card.decisionThreshold
    card.uncertaintyMethod = evaluation.card.uncertaintyMethod
    card.trainingData = splits.filter { $0.split != "test" }
    card.evaluationData = splits.filter { $0.split == "test" }
    return card
  }
}
