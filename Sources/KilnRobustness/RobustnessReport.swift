import KilnMetrics

/// Which group each row belongs to, for one sensitive attribute.
public struct GroupAssignment: Sendable, Equatable {
  public var name: String
  public var categories: [String]
  /// One code per row, an index into `categories`; −1 for a missing value.
  public var codes: [Int32]

  public init(name: String, categories: [String], codes: [Int32]) {
    self.name = name
    self.categories = categories
    self.codes = codes
  }

  /// The label of a code: its category, or `<missing>` for −1.
  public func label(of code: Int32) -> String { code >= 0 && Int(code) < categories.count ? categories[Int(code)] : "<missing>" }
}

/// The measure (accuracy, or RMSE) in one group before and after a perturbation.
public struct GroupOutcome: Codable, Sendable, Equatable {
  public var attribute: String
  public var group: String
  public var count: Int
  /// The measure on the clean rows.
  public var clean: Double
  /// The measure under the perturbation.
  public var value: Double
  /// How much worse it got (see `RobustnessReport.worsening`).
  public var worsening: Double
  /// Whether the group is smaller than the minimum group size (its values are then undefined).
  public var insufficientData: Bool

  enum CodingKeys: String, CodingKey {
    case attribute, group, count, clean, value, worsening
    case insufficientData = "insufficient_data"
  }
}

/// One perturbation or attack: the measure, how much worse it got, and the same in every group.
public struct PerturbationOutcome: Codable, Sendable, Equatable {
  /// `gaussian_noise_0.1`, `fgsm_0.05`, `subgroup_shift_0.5.sex.Female`, …
  public var name: String
  /// `gaussian_noise`, `missing_features`, `category_corruption`, `subgroup_shift`, `fgsm`, `pgd`.
  public var kind: String
  /// σ, rate, shift strength or ε.
  public var level: Double
  /// The measure under the perturbation.
  public var value: Double
  /// How much worse than clean.
  public var worsening: Double
  public var groups: [GroupOutcome]
  /// Attacks on binary models: ART's empirical robustness, the mean of ‖x′ − x‖∞ / ‖x‖∞ over rows
  /// whose predicted label changed (0 when none did).
  public var empiricalRobustness: Double?
  /// Attacks on binary models: the share of rows whose predicted label changed.
  public var predictionFlipRate: Double?

  enum CodingKeys: String, CodingKey {
    case name, kind, level, value, worsening, groups
    case empiricalRobustness = "empirical_robustness", predictionFlipRate = "prediction_flip_rate"
  }
}

/// Everything a robustness run measured, whatever the label kind.
public struct RobustnessReport: Codable, Sendable, Equatable {
  public var rowCount: Int
  /// The decision threshold (binary models).
  public var threshold: Double?
  /// `accuracy` (classifiers) or `rmse` (regressors).
  public var metric: String
  /// `accuracy_drop` (clean − perturbed) or `rmse_increase` (perturbed − clean): larger is worse.
  public var worsening: String
  /// The measure on the clean rows.
  public var clean: Double
  public var minimumGroupSize: Int
  public var outcomes: [PerturbationOutcome]

  enum CodingKeys: String, CodingKey {
    case threshold, metric, worsening, clean, outcomes
    case rowCount = "row_count", minimumGroupSize = "minimum_group_size"
  }

  /// Every number under the dotted names gates use (`METRIC` and `WORSENING` as above):
  /// - `robustness.clean.METRIC`;
  /// - `robustness.gaussian_noise_0.1.METRIC`, `….WORSENING`;
  /// - attacks on binary models: `robustness.fgsm_0.05.empirical_robustness`, `….prediction_flip_rate`;
  /// - per group: `robustness.fgsm_0.05.groups.sex.Female.WORSENING` (undefined, with reason,
  ///   for empty groups and groups under the minimum size);
  /// - per attribute: `robustness.fgsm_0.05.sex.max_WORSENING` and `….WORSENING_gap` (largest
  ///   minus smallest group worsening: does robustness differ by group?).
  public func namedMetrics(prefix: String = "robustness") -> [String: MetricEstimate] {
    var named: [String: MetricEstimate] = ["\(prefix).clean.\(metric)": MetricEstimate(value: clean)]
    for outcome in outcomes {
      let base = "\(prefix).\(outcome.name)"
      named["\(base).\(metric)"] = MetricEstimate(value: outcome.value)
      named["\(base).\(worsening)"] = MetricEstimate(value: outcome.worsening)
      if let value = outcome.empiricalRobustness {
        named["\(base).empirical_robustness"] = MetricEstimate(value: value, undefined: value.isFinite ? nil : .zeroDenominator,
                                                               detail: value.isFinite ? nil : "a changed row has ‖x‖∞ = 0")
      }
      if let value = outcome.predictionFlipRate { named["\(base).prediction_flip_rate"] = MetricEstimate(value: value) }
      var byAttribute: [String: [Double]] = [:]
      for group in outcome.groups {
        let reason: UndefinedReason? = group.count == 0 ? .emptyGroup : group.insufficientData ? .insufficientData : nil
        let detail = reason == nil ? nil : "group \(group.attribute)=\(group.group) has \(group.count) rows"
        let groupBase = "\(base).groups.\(group.attribute).\(group.group)"
        named["\(groupBase).\(metric)"] = MetricEstimate(value: group.value, undefined: reason, detail: detail)
        named["\(groupBase).\(worsening)"] = MetricEstimate(value: group.worsening, undefined: reason, detail: detail)
        if reason == nil { byAttribute[group.attribute, default: []].append(group.worsening) }
      }
      for attribute in Set(outcome.groups.map(\.attribute)) {
        let values = byAttribute[attribute] ?? []
        let undefined: UndefinedReason? = values.isEmpty ? .insufficientData : nil
        named["\(base).\(attribute).max_\(worsening)"] = MetricEstimate(value: values.max() ?? .nan, undefined: undefined)
        named["\(base).\(attribute).\(worsening)_gap"] = MetricEstimate(
          value: values.isEmpty ? .nan : values.max()! - values.min()!, undefined: undefined)
      }
    }
    return named
  }
}
