import KilnMetricDirection
import KilnPaths
import KilnHyperparameters

extension ExperimentConfiguration {
  /// Values that decode but cannot be used: each with the location it was read from.
  func rangeProblems(locations: [String: String], file: String) -> [ConfigurationError.Problem] {
    var problems: [ConfigurationError.Problem] = []
    func require(_ condition: Bool, _ keyPath: String, _ message: String, hint: String? = nil) {
      guard !condition else { return }
      problems.append(.init(code: .outOfRange, location: locations[keyPath] ?? file, keyPath: keyPath,
                            message: message, hint: hint))
    }
    // A stated direction against the one Kiln knows for the metric would take the worst as the best.
    func requireDirection(_ direction: MetricDirection, of metric: String, _ keyPath: String) {
      guard let known = MetricDirection(forMetric: metric) else { return }
      require(direction == known, keyPath, "`\(metric)` is \(known == .minimize ? "lower" : "higher")-is-better, but the direction is "
                + "\(direction.rawValue): the worst value would be taken as the best", hint: "write `direction: \(known.rawValue)`")
    }

    // The experiment's name becomes the model's name and so a folder under reports/.
    if let problem = Name.problem(with: name, kind: .experiment) {
      require(false, "name", "`\(name)` is not a valid experiment name: \(problem)", hint: "an experiment name is \(Name.rule)")
    }
    require(dataset.hasSuffix(".h5"), "dataset", "`\(dataset)` is not a Kiln dataset file (.h5)",
            hint: "import the raw data with `kiln dataset import datasets/NAME/dataset.yaml` and point here at the .h5 it writes")

    if let hidden = model.hidden {
      for (index, width) in hidden.enumerated() {
        require(width > 0, "model.hidden[\(index)]", "a hidden layer width must be positive, found \(width)")
      }
      require(model.kind == .mlp || hidden.isEmpty, "model.hidden",
              "logistic_regression has no hidden layers", hint: "remove `hidden` or use kind: mlp")
    }
    if let dropout = model.dropout {
      require(dropout >= 0 && dropout < 1, "model.dropout", "dropout must be in [0, 1), found \(dropout)")
    }

    require(training.epochs > 0, "training.epochs", "epochs must be at least 1, found \(training.epochs)")
    require(training.batchSize > 0, "training.batch_size", "batch_size must be at least 1, found \(training.batchSize)")
    // The optimizers' own range rules, so the file and the initialisers agree.
    let optimizer = training.optimizer
    let values: [(Hyperparameter, Double?)] = [(.lr, optimizer.lr), (.momentum, optimizer.momentum), (.weightDecay, optimizer.weightDecay),
                                               (.beta1, optimizer.beta1), (.beta2, optimizer.beta2), (.epsilon, optimizer.epsilon),
                                               (.alpha, optimizer.alpha)]
    for case let (hyperparameter, value?) in values {
      if let problem = hyperparameter.problem(with: value) { require(false, "training.optimizer.\(hyperparameter.rawValue)", problem) }
    }
    for (index, group) in (optimizer.paramGroups ?? []).enumerated() {
      let key = "training.optimizer.param_groups[\(index)]"
      require(group.kinds?.isEmpty == false || group.paths?.isEmpty == false, key, "the parameter group names no parameters",
              hint: "give it `kinds` (weight, bias, normalization) or `paths` (e.g. \"layers.0.*\")")
      require(group.lr != nil || group.weightDecay != nil, key, "the parameter group changes nothing",
              hint: "give it an `lr` or a `weight_decay`, or remove it")
      for case let (hyperparameter, value?) in [(Hyperparameter.lr, group.lr), (.weightDecay, group.weightDecay)] {
        if let problem = hyperparameter.problem(with: value) { require(false, "\(key).\(hyperparameter.rawValue)", problem) }
      }
    }
    if let norm = training.gradientClipNorm {
      require(norm > 0, "training.gradient_clip_norm", "the clipping norm must be positive, found \(norm)")
    }
    if let every = training.checkpointEverySteps {
      require(every > 0, "training.checkpoint_every_steps", "must be at least 1, found \(every)")
    }
    if let schedule = training.schedule {
      let values: [(Hyperparameter, Double?)] = [(.gamma, schedule.gamma), (.stepSize, schedule.stepSize.map(Double.init)),
                                                 (.warmup, schedule.warmupEpochs.map(Double.init)), (.minLr, schedule.minLr),
                                                 (.patience, schedule.patience.map(Double.init))]
      for case let (hyperparameter, value?) in values {
        if let problem = hyperparameter.problem(with: value) { require(false, "training.schedule.\(hyperparameter.rawValue)", problem) }
      }
      if schedule.kind == .step && schedule.stepSize == nil {
        require(false, "training.schedule.step_size", "a step schedule needs step_size ≥ 1",
                hint: "add step_size: N (epochs between decays)")
      }
      if let warmup = schedule.warmupEpochs {
        require(schedule.kind != .cosine || warmup < training.epochs, "training.schedule.warmup_epochs",
                "\(warmup) warm-up epochs leave no epoch of training.epochs = \(training.epochs) to decay over",
                hint: "make training.epochs larger than training.schedule.warmup_epochs")
      }
      if let floor = schedule.minLr, floor > optimizer.lr {
        require(false, "training.schedule.min_lr", "min_lr must not exceed training.optimizer.lr = \(optimizer.lr), found \(floor)")
      }
      if schedule.kind == .reduceOnPlateau, let gamma = schedule.gamma {
        require(gamma < 1, "training.schedule.gamma", "reduce_on_plateau must reduce: gamma must be below 1, found \(gamma)")
      }
    }
    if let stopping = training.earlyStopping {
      require(stopping.patience > 0, "training.early_stopping.patience", "patience must be at least 1, found \(stopping.patience)")
      requireDirection(stopping.direction, of: stopping.metric, "training.early_stopping.direction")
    }

    if let evaluation {
      if let threshold = evaluation.threshold {
        require(threshold > 0 && threshold < 1, "evaluation.threshold", "the threshold must be in (0, 1), found \(threshold)")
      }
      if let size = evaluation.minGroupSize {
        require(size >= 1, "evaluation.min_group_size", "must be at least 1, found \(size)")
      }
      if let bootstrap = evaluation.bootstrap {
        require(bootstrap.resamples >= 10, "evaluation.bootstrap.resamples", "use at least 10 resamples, found \(bootstrap.resamples)")
        if let confidence = bootstrap.confidence {
          require(confidence > 0 && confidence < 1, "evaluation.bootstrap.confidence", "must be in (0, 1), found \(confidence)")
        }
      }
      let sensitive = Set(evaluation.sensitive ?? [])
      for (index, intersection) in (evaluation.intersections ?? []).enumerated() {
        require(intersection.count >= 2, "evaluation.intersections[\(index)]", "an intersection needs two or more attributes")
        for attribute in intersection where !sensitive.contains(attribute) {
          require(false, "evaluation.intersections[\(index)]", "`\(attribute)` is not listed in evaluation.sensitive",
                  hint: "add it to evaluation.sensitive")
        }
      }
      if let robustness = evaluation.robustness { robustnessProblems(robustness, require) }
    }

    if let sweep {
      switch (sweep.objective, sweep.objectives) {
      case (let objective?, nil):
        requireDirection(objective.direction, of: objective.metric, "sweep.objective.direction")
      case (nil, let objectives?):
        require(objectives.count >= 2, "sweep.objectives", "a multi-objective sweep needs two or more objectives, found \(objectives.count)",
                hint: "with one objective, write `objective: {metric: …, direction: …}`")
        for (index, objective) in objectives.enumerated() {
          requireDirection(objective.direction, of: objective.metric, "sweep.objectives[\(index)].direction")
        }
        let metrics = objectives.map(\.metric)
        require(Set(metrics).count == metrics.count, "sweep.objectives", "an objective is listed twice: \(metrics.joined(separator: ", "))")
        require(sweep.sampler != .tpe, "sweep.sampler", "the tpe sampler optimises one objective, not \(objectives.count)",
                hint: "use `sampler: nsga2` (or random, qmc, grid) for several objectives")
        require(sweep.pruner.map { $0.kind != .median } ?? true, "sweep.pruner",
                "the median pruner compares one objective, not \(objectives.count)",
                hint: "use `pruner: {kind: asha}`, which ranks trials by all objectives")
      default:
        require(false, "sweep", "give exactly one of `objective:` (one metric) and `objectives:` (two or more)",
                hint: "e.g. `objective: {metric: validation.roc_auc, direction: maximize}`")
      }
      if let size = sweep.populationSize {
        require(sweep.sampler == .nsga2, "sweep.population_size", "only the nsga2 sampler has a population",
                hint: "remove population_size or use `sampler: nsga2`")
        require(size >= 2, "sweep.population_size", "a population needs at least 2 trials, found \(size)")
      }
      require(sweep.trials > 0, "sweep.trials", "a sweep needs at least one trial, found \(sweep.trials)")
      require(!sweep.space.isEmpty, "sweep.space", "the search space is empty", hint: "add e.g. training.optimizer.lr: {loguniform: [1.0e-4, 1.0e-1]}")
      for (key, distribution) in sweep.space.sorted(by: { $0.key < $1.key }) {
        let path = "sweep.space.\(key)"
        let given = [distribution.uniform != nil, distribution.loguniform != nil, distribution.int != nil, distribution.choice != nil]
        require(given.filter { $0 }.count == 1, path, "give exactly one of uniform, loguniform, int, choice")
        if let bounds = distribution.uniform ?? distribution.loguniform {
          require(bounds.count == 2 && bounds[0] < bounds[1], path, "bounds must be [low, high] with low < high, found \(bounds)")
          if distribution.loguniform != nil {
            require(bounds.first.map { $0 > 0 } ?? false, path, "loguniform bounds must be positive")
          }
        }
        if let bounds = distribution.int {
          require(bounds.count == 2 && bounds[0] <= bounds[1], path, "bounds must be [low, high] with low ≤ high, found \(bounds)")
        }
        if let choices = distribution.choice {
          require(!choices.isEmpty, path, "a choice needs at least one value")
        }
      }
    }
    mitigation?.problems(require)
    if let monitoring {
      if let psi = monitoring.psiThreshold {
        require(psi > 0 && psi.isFinite, "monitoring.psi_threshold", "the PSI threshold must be positive, found \(psi)",
                hint: "0.1 flags moderate shifts, 0.2 significant ones")
      }
      if let psi = monitoring.scorePSIThreshold {
        require(psi > 0 && psi.isFinite, "monitoring.score_psi_threshold", "the score PSI threshold must be positive, found \(psi)")
      }
      if let level = monitoring.pValue {
        require(level > 0 && level < 1, "monitoring.p_value", "the p-value level must be in (0, 1), found \(level)")
      }
      if let bins = monitoring.bins {
        require(bins >= 2 && bins <= 100, "monitoring.bins", "bins must be in 2…100, found \(bins)")
      }
      if let size = monitoring.minGroupSize {
        require(size >= 1, "monitoring.min_group_size", "must be at least 1, found \(size)")
      }
      if let drop = monitoring.maxMetricDrop {
        require(drop >= 0 && drop < 1, "monitoring.max_metric_drop", "must be in [0, 1), found \(drop)")
      }
      if let increase = monitoring.maxFairnessIncrease {
        require(increase >= 0 && increase < 1, "monitoring.max_fairness_increase", "must be in [0, 1), found \(increase)")
      }
      if let increase = monitoring.maxErrorIncrease {
        require(increase >= 0 && increase.isFinite, "monitoring.max_error_increase", "must be a fraction of 0 or more, found \(increase)")
      }
      for (metric, limit) in (monitoring.maxWorsening ?? [:]).sorted(by: { $0.key < $1.key }) {
        require(limit >= 0 && limit.isFinite, "monitoring.max_worsening.\(metric)", "must be 0 or more, found \(limit)")
      }
    }
    return problems
  }

  /// Levels of the robustness tests: noise and budgets non-negative, rates and strengths in [0, 1].
  private func robustnessProblems(_ robustness: RobustnessConfiguration,
                                  _ require: (Bool, String, String, String?) -> Void) {
    let base = "evaluation.robustness"
    for (key, values) in [("gaussian_noise", robustness.gaussianNoise), ("fgsm", robustness.fgsm),
                          ("pgd.epsilons", robustness.pgd?.epsilons)] {
      for (index, value) in (values ?? []).enumerated() {
        require(value >= 0 && value.isFinite, "\(base).\(key)[\(index)]", "must be a non-negative number, found \(value)", nil)
      }
    }
    for (key, values) in [("missing_features", robustness.missingFeatures), ("category_corruption", robustness.categoryCorruption),
                          ("subgroup_shift", robustness.subgroupShift)] {
      for (index, value) in (values ?? []).enumerated() {
        require(value >= 0 && value <= 1, "\(base).\(key)[\(index)]", "a rate must be in [0, 1], found \(value)", nil)
      }
    }
    if let pgd = robustness.pgd {
      require(pgd.steps >= 1, "\(base).pgd.steps", "PGD needs at least one step, found \(pgd.steps)", nil)
      if let size = pgd.stepSize {
        require(size > 0 && size.isFinite, "\(base).pgd.step_size", "the step size must be positive, found \(size)", nil)
      }
    }
  }
}
