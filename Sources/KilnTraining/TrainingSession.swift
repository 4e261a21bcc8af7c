import KilnMetricDirection
import KilnTensor
import KilnNN
import Foundation
import KilnData
import KilnDistributed
import KilnOptim
import KilnTracking
import KilnConfiguration
import KilnMetrics

/// One training run's state and loop; `Trainer.train` creates and runs it.
final class TrainingSession {
  let configuration: ExperimentConfiguration
  let layout: ProjectLayout
  let communicator: Communicator
  let options: TrainingOptions
  let dataset: KilnDataset
  /// The output layer's meaning and loss for the dataset's label kind.
  let head: ModelHead
  let trainLoader: DataLoader
  /// `mitigation.reweighing`: the fitted cell weights and each dataset row's weight in the loss.
  let fittedReweighing: Reweighing?
  let sampleWeights: [Float]?
  let validationLoader: DataLoader
  /// The validation fairness metrics the gates and the caller ask for; nil when none are.
  let validationFairness: ValidationFairness?
  let tracker: Tracker?
  let run: ActiveRun?
  let runID: String
  let runDirectory: RunDirectory
  var model: MLP
  var optimizer: any Optimizer
  var plateau: ReduceLearningRateOnPlateau?
  let schedule: LearningRateSchedule?
  var state: Checkpoint.TrainingState
  var callbacks: [TrainingCallback] = []
  var earlyStopping: EarlyStopping?
  var checkpointCallback: CheckpointCallback?
  let selectionMetric: String
  let selectionDirection: MetricDirection
  /// The averaged loss of the last step.
  var lastLoss = 0.0
  var lastValidationMetrics: [String: Double] = [:]
  /// Wall time spent in optimizer steps, and within them in the gradient allreduce.
  var stepSeconds = 0.0
  var allReduceSeconds = 0.0
  /// Averages each step's gradients over the ranks (in place, tensor by tensor).
  lazy var gradientAverager = GradientAverager(communicator: communicator,
                                               sharded: configuration.training.shardOptimizer ?? true)
  /// Training rows stepped over all ranks (this session's, for a resumed run).
  var samplesTrained = 0
  /// Started with the session: the run's wall time, CPU time and peak memory (`ResourceUsage`).
  let resourceMeter = ResourceMeter()
  /// Whether the run's resource use is logged (a diverged run's is, before its error is thrown).
  var resourceUsageRecorded = false
  var validationMetricsByEpoch: [Int: [String: Double]] = [:]
  /// `mitigation.reductions`: the fitted reduction, which takes the place of the epochs.
  var fittedReductions: FittedReductions?

  init(configuration: ExperimentConfiguration, layout: ProjectLayout, communicator: Communicator, options: TrainingOptions) throws {
    self.configuration = configuration
    self.layout = layout
    self.communicator = communicator
    self.options = options
    let training = configuration.training
    let world = communicator.size
    guard training.batchSize % world == 0 else {
      throw TrainingError(.distributed, "training.batch_size \(training.batchSize) is not divisible by the \(world) ranks",
                          hint: "choose a batch size that is a multiple of the number of processes")
    }

    let url = Trainer.datasetURL(configuration, layout: layout)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw TrainingError(.dataset, "\(configuration.dataset): no such dataset file",
                          hint: "import it first, e.g. `kiln dataset import datasets/NAME/dataset.yaml`")
    }
    dataset = try KilnDataset.open(url)
    // The run records the file's fingerprint as its lineage: the content must still match it.
    try dataset.verifyContent()
    let metadata = dataset.metadata
    for split in ["train", "validation"] where metadata.splitSizes[split] == nil {
      throw TrainingError(.dataset, "\(configuration.dataset) has no `\(split)` split (it has: \(metadata.splitNames.joined(separator: ", ")))",
                          hint: "declare a validation fraction in the dataset recipe and re-import")
    }
    head = try ModelHead.forDataset(dataset)
    if configuration.mitigation?.reductions != nil, world > 1 {
      // `Trainer.fitReductions` trains each hypothesis in this process.
      throw TrainingError(.configuration, "mitigation.reductions fits its models in a single process, not on \(world) ranks",
                          hint: "train the experiment without `-n`/mpirun, or remove mitigation.reductions")
    }
    if configuration.mitigation?.reductions != nil, configuration.mitigation?.thresholds != nil {
      // The thresholds would be fitted to a model the reduction then replaces.
      throw TrainingError(.configuration, "mitigation.reductions and mitigation.thresholds cannot be combined: the reduction's models decide by its own mixture",
                          hint: "keep one of the two blocks")
    }
    let reweighing = try Self.fittedReweighing(configuration.mitigation, dataset: dataset, head: head)
    fittedReweighing = reweighing?.0
    sampleWeights = reweighing?.1

    trainLoader = try DataLoader(dataset: dataset, split: "train", configuration: DataLoaderConfiguration(
      batchSize: training.batchSize / world, dropLast: false, shuffle: .full, seed: training.seed,
      rank: communicator.rank, worldSize: world, sharding: world > 1 ? .drop : .exact))
    validationLoader = try DataLoader(dataset: dataset, split: "validation", configuration: DataLoaderConfiguration(
      batchSize: 4096, dropLast: false, shuffle: .none, seed: training.seed,
      rank: communicator.rank, worldSize: world, sharding: .exact))

    validationFairness = try ValidationFairness(configuration, extraMetrics: options.validationMetrics, dataset: dataset)
    let computed = ValidationMetrics.names(for: head)
    for (key, metric) in [("training.selection_metric", training.selectionMetric), ("training.early_stopping.metric", training.earlyStopping?.metric)] {
      guard let metric, !computed.contains(metric) else { continue }
      throw TrainingError(.configuration, "\(key) is `\(metric)`, which a \(head.labelKind.rawValue) model's validation does not compute",
                          hint: "use one of: \(computed.joined(separator: ", "))")
    }
    selectionMetric = training.selectionMetric ?? ValidationMetrics.defaultSelection(for: head)
    guard let selectionDirection = MetricDirection(forMetric: selectionMetric) else {
      throw TrainingError(.configuration, UnknownMetricDirection(metric: selectionMetric).description)
    }
    self.selectionDirection = selectionDirection

    model = ModelFactory.makeModel(configuration.model, inputSize: metadata.featureCount, outputSize: head.outputSize, seed: training.seed)
    optimizer = try OptimizerRegistry.makeOptimizer(training.optimizer, parameters: model.parameterKinds)
    schedule = try TrainingSession.makeSchedule(training)
    if training.schedule?.kind == .reduceOnPlateau {
      plateau = try ReduceLearningRateOnPlateau(
        learningRate: Float(training.optimizer.lr), direction: selectionDirection,
        factor: Float(training.schedule?.gamma ?? 0.1), patience: training.schedule?.patience ?? 2,
        minimumLearningRate: Float(training.schedule?.minLr ?? 0))
    }
    state = Checkpoint.TrainingState(epoch: 0, stepInEpoch: 0, globalStep: 0, learningRate: training.optimizer.lr)

    // Rank 0 owns the run record; the others learn its id.
    var id = ""
    if communicator.isRoot {
      let tracker = try Tracker(layout: layout)
      let run: ActiveRun
      if let resumeID = options.resumeRunID {
        run = try tracker.resumeRun(id: resumeID)
      } else {
        run = try tracker.startRun(
          experiment: configuration.name, name: options.runName, parent: options.parentRunID,
          configuration: RunConfiguration(text: configuration.canonicalJSON(), parameters: configuration.flattenedParameters()),
          seed: training.seed, commandLine: options.commandLine, sourceVersion: SourceVersion.detect(in: layout.root),
          tags: options.tags.merging(["world_size": String(world)]) { $1 })
        for split in ["train", "validation"] {
          try run.recordInput(dataset: DatasetReference(name: metadata.header.name, version: metadata.header.version,
                                                        fingerprint: metadata.fingerprint, split: split))
        }
      }
      self.tracker = tracker
      self.run = run
      id = run.id
    } else {
      tracker = nil
      run = nil
    }
    runID = String(decoding: try communicator.broadcast(bytes: Array(id.utf8), root: 0), as: UTF8.self)
    runDirectory = RunDirectory(layout: layout, runID: runID)
  }

  static func makeSchedule(_ training: TrainingConfiguration) throws -> LearningRateSchedule? {
    guard let schedule = training.schedule else { return nil }
    let rate = Float(training.optimizer.lr)
    switch schedule.kind {
    case .constant, .reduceOnPlateau: return nil
    case .step: return try StepDecay(initialLearningRate: rate, stepSize: schedule.stepSize ?? 1, factor: Float(schedule.gamma ?? 0.1))
    case .exponential: return try ExponentialDecay(initialLearningRate: rate, factor: Float(schedule.gamma ?? 0.9))
    case .cosine:
      return try CosineDecayWithWarmup(peakLearningRate: rate, warmupSteps: schedule.warmupEpochs ?? 0, totalSteps: training.epochs,
                                       minimumLearningRate: Float(schedule.minLr ?? 0))
    }
  }

  /// Every rank starts from rank 0's parameters, or all from the checkpoint being resumed.
  func prepareState() throws {
    if options.resumeRunID != nil {
      try restore(from: try Checkpoint.read(from: runDirectory.lastCheckpoint))
    } else if communicator.size > 1 {
      var flat = model.flattenedParameters().scalars
      try communicator.broadcast(&flat, root: 0)
      model.assignFlattenedParameters(Tensor(shape: [flat.count], scalars: flat))
    }
  }

  func restore(from checkpoint: Checkpoint) throws {
    guard checkpoint.datasetFingerprint == dataset.metadata.fingerprint else {
      throw TrainingError(.resume, "the dataset changed since run \(runID) started: fingerprint \(dataset.metadata.fingerprint.prefix(12))… "
                          + "does not match the run's \(checkpoint.datasetFingerprint.prefix(12))…",
                          hint: "restore the dataset the run was trained on, or start a new run")
    }
    try model.loadParameters(Dictionary(uniqueKeysWithValues: checkpoint.parameters.map { ($0.path, $0.value) }))
    do {
      try optimizer.importState(OptimizerState(tensors: checkpoint.optimizerTensors, counters: checkpoint.optimizerCounters),
                                paths: model.parameterPaths)
    } catch let error as OptimizerStateError {
      throw TrainingError(.checkpoint, error.message, hint: "the checkpoint was written by a different optimizer or model; start a new run")
    }
    state = checkpoint.state
    optimizer.learningRate = Float(state.learningRate)
    if let plateauBest = state.plateauBest {
      plateau?.restore(learningRate: Float(state.learningRate), best: Float(plateauBest), badEvaluations: state.plateauBadEvaluations ?? 0)
    }
    if let best = state.earlyStoppingBest, let epoch = state.earlyStoppingEpoch {
      earlyStopping?.restore(best: (best, epoch), epochsWithoutImprovement: state.earlyStoppingWait ?? 0)
    }
    if let best = state.bestMetric, let epoch = state.bestEpoch { checkpointCallback?.best = (best, epoch) }
  }

  /// The full training state, as written into checkpoints.
  func snapshot() -> Checkpoint {
    var current = state
    current.learningRate = Double(optimizer.learningRate)
    current.bestMetric = checkpointCallback?.best?.value
    current.bestEpoch = checkpointCallback?.best?.epoch
    current.earlyStoppingBest = earlyStopping?.best?.value
    current.earlyStoppingEpoch = earlyStopping?.best?.epoch
    current.earlyStoppingWait = earlyStopping?.epochsWithoutImprovement
    current.plateauBest = plateau?.best.map(Double.init)
    current.plateauBadEvaluations = plateau?.badEvaluations
    let exported = optimizer.exportState(paths: model.parameterPaths)
    return Checkpoint(parameters: model.namedParameters, optimizerKind: type(of: optimizer).kind, optimizerTensors: exported.tensors,
                      optimizerCounters: exported.counters,
                      state: current, configurationJSON: configuration.canonicalJSON(),
                      datasetFingerprint: dataset.metadata.fingerprint, runID: runID, head: head)
  }

  func installCallbacks() {
    guard communicator.isRoot else {
      if let stopping = configuration.training.earlyStopping {
        earlyStopping = EarlyStopping(metric: stopping.metric, direction: stopping.direction, patience: stopping.patience,
                                      minDelta: stopping.minDelta ?? 0)
        callbacks = [earlyStopping!]
      }
      callbacks += options.callbacksOnEveryRank
      return
    }
    let output = options.progressToStandardError ? FileHandle.standardError : FileHandle.standardOutput
    callbacks.append(ProgressReporter(mode: options.progress, write: { output.write(Data($0.utf8)) }))
    if let run { callbacks.append(TrackingCallback(run: run, checkpointEverySteps: configuration.training.checkpointEverySteps)) }
    if let stopping = configuration.training.earlyStopping {
      earlyStopping = EarlyStopping(metric: stopping.metric, direction: stopping.direction, patience: stopping.patience,
                                    minDelta: stopping.minDelta ?? 0)
      callbacks.append(earlyStopping!)
    }
    let checkpoints = CheckpointCallback(directory: runDirectory, everySteps: configuration.training.checkpointEverySteps,
                                         selectionMetric: selectionMetric, direction: selectionDirection) { [unowned self] in self.snapshot() }
    checkpointCallback = checkpoints
    callbacks.append(checkpoints)
    callbacks += options.extraCallbacks + options.callbacksOnEveryRank
  }

  /// Sends `event` to every callback; the first `.stop` wins.
  func emit(_ event: TrainingEvent) throws -> TrainingDirective {
    var directive = TrainingDirective.proceed
    for callback in callbacks {
      let answer = try callback.handle(event)
      if case .stop = answer, directive == .proceed { directive = answer }
    }
    return directive
  }
}
