import Foundation
import KilnConfiguration
import KilnData
import KilnMetrics
import KilnNN

/// A reduction fitted with the experiment's trainer: the mixture and its models.
public struct FittedReductions {
  public var mixture: ReductionMixture
  /// The model of each hypothesis fitted by the learner (`ReductionHypothesis.fitted(call:)` indexes them).
  public var models: [MLP]
  /// Each hypothesis's predictions on the train rows.
  public var trainPredictions: [[Double]]
}

extension Trainer {
  /// Runs `mitigation.reductions` on the experiment's train split with its model and trainer as
  /// the cost-sensitive learner: exponentiated gradient (a randomized mixture) or grid search
  /// (the chosen grid point's model). Single process; the same seed gives the same mixture.
  public static func fitReductions(_ configuration: ExperimentConfiguration, layout: ProjectLayout) throws -> FittedReductions {
    guard let settings = configuration.mitigation?.reductions else {
      throw TrainingError(.configuration, "the experiment has no mitigation.reductions block",
                          hint: "add `mitigation: {reductions: {method: exponentiated_gradient, constraint: equalized_odds, sensitive: [ATTRIBUTE]}}`")
    }
    let dataset = try KilnDataset.open(datasetURL(configuration, layout: layout))
    let head = try ModelHead.forDataset(dataset)
    switch (head, settings.constraint.isClassification) {
    case (.binary, true), (.regression, false): break
    default:
      throw TrainingError(.configuration, "mitigation.reductions.constraint \(settings.constraint.rawValue) does not apply to a \(head.labelKind.rawValue) label",
                          hint: settings.constraint.isClassification ? "use bounded_group_loss for a regression label"
                            : "use a parity constraint (e.g. equalized_odds) for a binary label; multiclass labels have no reduction")
    }
    let rows = try dataset.rows(split: "train")
    let key = "mitigation.reductions.sensitive"
    let grouping = try dataset.metadata.grouping(of: settings.sensitive, rows: rows, key: key)
    let labels = head.labelKind.isClassification ? rows.labels.map(Double.init) : rows.targets.map(Double.init)
    var learner = try ReductionLearner(configuration: configuration, dataset: dataset, head: head)
    do {
      let moment = try ReductionMoment(constraint: settings.constraint, labels: labels, grouping: grouping, bound: settings.bound)
      let method = settings.method.rawValue
      switch settings.method {
      case .exponentiatedGradient:
        let reduction = ExponentiatedGradient(eps: settings.eps ?? 0.01, maximumIterations: settings.maxIter ?? 50, nu: settings.nu,
                                              initialLearningRate: settings.eta0 ?? 2)
        let fit = try reduction.fit(moment, learner: &learner)
        let mixture = ReductionMixture(method: method, constraint: settings.constraint, grouping: grouping, bound: settings.bound,
                                       hypotheses: fit.hypotheses, weights: fit.weights, errors: fit.errors, gammas: fit.gammas)
        return FittedReductions(mixture: mixture, models: learner.models, trainPredictions: fit.predictions)
      case .gridSearch:
        let search = ReductionGridSearch(gridSize: settings.gridSize ?? 10, gridLimit: settings.gridLimit ?? 2)
        let fit = try search.fit(moment, learner: &learner)
        let weights = fit.hypotheses.indices.map { $0 == fit.bestIndex ? 1.0 : 0.0 }
        let mixture = ReductionMixture(method: method, constraint: settings.constraint, grouping: grouping, bound: settings.bound,
                                       hypotheses: fit.hypotheses, weights: weights, errors: fit.objectives, gammas: fit.gammas)
        return FittedReductions(mixture: mixture, models: learner.models, trainPredictions: fit.predictions)
      }
    } catch let error as MitigationError {
      throw TrainingError(.configuration, "mitigation.reductions on the train split: \(error.message)", hint: error.hint)
    }
  }
}
