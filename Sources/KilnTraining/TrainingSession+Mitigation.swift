import Foundation
import KilnNN
import KilnData
import KilnMetrics
import KilnTensor
import KilnConfiguration

extension TrainingSession {
  /// With `mitigation.reweighing`, each train row's weight in the loss (indexed by dataset row):
  /// its (group, label) cell's Kamiran–Calders weight, fitted on the train split. Every rank
  /// computes the same table, so the weights do not depend on the number of processes.
  static func fittedReweighing(_ mitigation: MitigationConfiguration?, dataset: KilnDataset, head: ModelHead) throws -> (Reweighing, [Float])? {
    guard let reweighing = mitigation?.reweighing else { return nil }
    guard head.labelKind.isClassification else {
      throw TrainingError(.configuration, "mitigation.reweighing weighs (group, label) cells; a regression model has no label classes",
                          hint: "remove mitigation.reweighing for this dataset")
    }
    let rows = try dataset.rows(split: "train")
    let grouping = try dataset.metadata.grouping(of: reweighing.sensitive, rows: rows, key: "mitigation.reweighing.sensitive")
    let fitted = try Reweighing(labels: rows.labels.map(Int.init), grouping: grouping, classCount: head.classCount)
    var weights = [Float](repeating: 1, count: dataset.metadata.rowCount)
    for (position, row) in rows.rowIndices.enumerated() {
      weights[row] = Float(fitted.weights[Int(grouping.codes[position])][Int(rows.labels[position])])
    }
    return (fitted, weights)
  }

  /// The batch's rows' weights, or nil without reweighing.
  func lossWeights(_ batch: Batch) -> Tensor? {
    guard let sampleWeights else { return nil }
    return Tensor(shape: [batch.rowCount], scalars: batch.rowIndices.map { sampleWeights[$0] })
  }

  /// With `mitigation.thresholds`, fits group thresholds to the final model's scores on the
  /// configured split (validation by default; never test) and records them on the run.
  func fittedGroupThresholds() throws -> GroupThresholds? {
    guard let settings = configuration.mitigation?.thresholds else { return nil }
    guard head == .binary else {
      throw TrainingError(.configuration, "mitigation.thresholds needs a binary model; this dataset's label is \(head.labelKind.rawValue)",
                          hint: "remove mitigation.thresholds, or use a dataset with a binary label")
    }
    let split = (settings.fitOn ?? .validation).rawValue
    let rows = try dataset.rows(split: split)
    let grouping = try dataset.metadata.grouping(of: settings.sensitive, rows: rows, key: "mitigation.thresholds.sensitive")
    var evaluated = model
    evaluated.setTraining(false)
    let logits = rows.rowCount == 0 ? [] : evaluated(Tensor(shape: [rows.rowCount, rows.featureCount], scalars: rows.features)).scalars
    let scores = logits.map { 1 / (1 + Foundation.exp(-Double($0))) }
    let optimizer = ThresholdOptimizer(constraint: settings.constraint, objective: settings.objective ?? .accuracy,
                                       gridSize: settings.gridSize ?? 1000)
    let fit: ThresholdOptimizer.Fit
    do {
      fit = try optimizer.fit(scores: scores, labels: rows.labels.map(Int.init), grouping: grouping)
    } catch let error as MitigationError {
      throw TrainingError(.configuration, "mitigation.thresholds on the \(split) split: \(error.message)", hint: error.hint)
    }
    var thresholds = fit.thresholds
    thresholds.fitSplit = split
    return thresholds
  }

  /// With `mitigation.reductions`, the run's training: the reduction trains every model it needs
  /// on the train split (`Trainer.fitReductions`), so the experiment's plain model is not trained
  /// (the pipeline's "before" is its unmitigated baseline, a run of its own). The session's model
  /// becomes the heaviest fitted one, and the run's validation metrics — logged at step
  /// `training.epochs`, where a plain run logs its last epoch's, and returned as the final ones a
  /// sweep's objectives read — are those of the model as stored (`storedReductionValidationMetrics`).
  func fitReductionsInPlaceOfTraining() throws -> TrainingOutcome {
    let epochs = configuration.training.epochs
    let started = DispatchTime.now().uptimeNanoseconds
    let fitted = try Trainer.fitReductions(configuration, layout: layout)
    stepSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    samplesTrained = fitted.models.count * epochs * trainLoader.rowsPerEpoch
    let mixture = fitted.mixture
    if case .fitted(let call) = mixture.hypotheses[mixture.heaviest] { model = fitted.models[call] }
    fittedReductions = fitted
    state.epoch = epochs
    lastValidationMetrics = try storedReductionValidationMetrics(fitted)
    try run?.log(metrics: lastValidationMetrics, step: epochs)
    if communicator.isRoot, options.progress != .quiet {
      let output = options.progressToStandardError ? FileHandle.standardError : FileHandle.standardOutput
      let metrics = lastValidationMetrics.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
      let members = mixture.weights.filter { $0 != 0 }.count
      output.write(Data(("reductions: \(mixture.method) trained \(fitted.models.count) models of \(epochs) epochs in \(formatDuration(stepSeconds)); "
                         + "\(members) of \(mixture.hypotheses.count) hypotheses weigh in the mixture\n"
                         + "reductions: validation of the \((configuration.mitigation?.reductions?.predictor ?? .mixture).rawValue): "
                         + metrics.joined(separator: "  ") + "\n").utf8))
    }
    return .completed(epochs: epochs)
  }

  /// The validation metrics of a fitted reduction as the run stores it, computed as its
  /// evaluation computes them: with `predictor: best`, the heaviest model's (`validate`); with a
  /// mixture, a binary label's from its expected score (loss, ROC AUC) and its seeded decisions
  /// (accuracy, fairness), a regression label's from its seeded drawn values.
  func storedReductionValidationMetrics(_ fitted: FittedReductions) throws -> [String: Double] {
    guard (configuration.mitigation?.reductions?.predictor ?? .mixture) == .mixture else { return try validate() }
    let rows = try validationFairness?.rows ?? dataset.rows(split: "validation")
    guard rows.rowCount > 0 else { return [:] }
    let reduction = fitted.mixture
    var members: [Int: MLP] = [:]
    for (index, hypothesis) in reduction.hypotheses.enumerated() where reduction.weights[index] != 0 {
      if case .fitted(let call) = hypothesis { members[index] = fitted.models[call] }
    }
    let mixture = ModelMixture(reduction: reduction, members: members)
    let seed = configuration.training.seed
    let (features, rowCount, width) = (rows.features, rows.rowCount, rows.featureCount)
    switch head {
    case .binary:
      guard case .scores(let scores) = mixture.expectedPredictions(features: features, rowCount: rowCount, inputSize: width, head: head) else { return [:] }
      let decisions = mixture.decisions(features: features, rowCount: rowCount, inputSize: width, head: head, rowIDs: rows.rowIndices, seed: seed)
      var named = ValidationMetrics.binary(labels: rows.labels.map(Int.init), scores: scores, decisions: decisions)
      if let validationFairness { named.merge(try validationFairness.binaryMetrics(scores: scores, decisions: decisions)) { $1 } }
      return named
    case .regression:
      let values = mixture.drawnValues(features: features, rowCount: rowCount, inputSize: width, head: head, rowIDs: rows.rowIndices, seed: seed)
      var named = ValidationMetrics.regression(targets: rows.targets.map(Double.init), predictions: values)
      if let validationFairness { named.merge(try validationFairness.regressionMetrics(predictions: values)) { $1 } }
      return named
    case .multiclass:
      // `Trainer.fitReductions` refuses multi-class labels.
      return [:]
    }
  }

  /// Stores the fitted reduction (`fitReductionsInPlaceOfTraining`) in `checkpoint`: its
  /// parameters become the heaviest model's; with `predictor: mixture` (the default) each fitted
  /// model of nonzero weight is written as `checkpoints/mixture-K.h5` (logged as an artifact) and
  /// the weights go in the checkpoint. Returns the mixture, for the run's record.
  func storeReductions(into checkpoint: inout Checkpoint) throws -> ReductionMixture? {
    guard let settings = configuration.mitigation?.reductions, let fitted = fittedReductions else { return nil }
    let mixture = fitted.mixture
    let heaviest = mixture.hypotheses[mixture.heaviest]
    if (settings.predictor ?? .mixture) == .mixture {
      for (index, hypothesis) in mixture.hypotheses.enumerated() where mixture.weights[index] != 0 {
        guard case .fitted(let call) = hypothesis else { continue }
        var member = checkpoint
        member.parameters = fitted.models[call].namedParameters
        member.groupThresholds = nil
        let name = ModelMixture.memberFileName(index)
        let url = runDirectory.url.appendingPathComponent("checkpoints/\(name)")
        try member.write(to: url)
        _ = try run?.logArtifact(file: url, name: "model/\(name)")
      }
      checkpoint.reductionMixture = mixture
    } else if case .constant(let value) = heaviest {
      throw TrainingError(.configuration, "mitigation.reductions: the heaviest hypothesis is the constant predictor \(value), not a trained model",
                          hint: "use `predictor: mixture`, or loosen mitigation.reductions.bound / eps")
    }
    if case .fitted(let call) = heaviest { checkpoint.parameters = fitted.models[call].namedParameters }
    return mixture
  }

  /// Records the fitted mitigations on the run: a tag naming them and their JSON as artifacts.
  func recordMitigations(thresholds: GroupThresholds?, reductions: ReductionMixture? = nil) throws {
    guard let run, let mitigation = configuration.mitigation else { return }
    var names: [String] = []
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    func log<T: Encodable>(_ value: T, name: String) throws {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-\(UUID().uuidString).json")
      defer { try? FileManager.default.removeItem(at: file) }
      try encoder.encode(value).write(to: file, options: .atomic)
      _ = try run.logArtifact(file: file, name: name)
    }
    if let reweighing = mitigation.reweighing, let fitted = fittedReweighing {
      names.append("reweighing(\(reweighing.sensitive.joined(separator: "&")))")
      try log(fitted, name: "mitigation/reweighing.json")
    }
    if let settings = mitigation.thresholds, let thresholds {
      names.append("thresholds(\(settings.constraint.rawValue); \(settings.sensitive.joined(separator: "&")); fit on \((settings.fitOn ?? .validation).rawValue))")
      try log(thresholds, name: "mitigation/thresholds.json")
    }
    if let settings = mitigation.reductions, let fitted = reductions {
      let predictor = (settings.predictor ?? .mixture).rawValue
      names.append("reductions(\(settings.method.rawValue); \(settings.constraint.rawValue); \(settings.sensitive.joined(separator: "&")); \(predictor))")
      try log(fitted, name: "mitigation/reductions.json")
    }
    if !names.isEmpty { try run.setTag("mitigation", names.joined(separator: " + ")) }
  }
}
