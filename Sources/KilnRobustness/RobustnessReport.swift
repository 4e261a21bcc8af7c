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

/// The accuracy of one group before and after a perturbation.
public struct GroupOutcome: Codable, Sendable, Equatable {
  public var attribute: String
  public var group: String
  public var count: Int
  public var cleanAccuracy: Double
  public var accuracy: Double
  /// clean − perturbed.
  public var accuracyDrop: Double
  /// Whether the group is smaller than the minimum group size (its values are then undefined).
  public var insufficientData: Bool

  enum CodingKeys: String, CodingKey {
    case attribute, group, count, accuracy
    case cleanAccuracy = "clean_accuracy", accuracyDrop = "accuracy_drop", insufficientData = "insufficient_data"
  }
}

/// One perturbation or attack: accuracy, its drop from clean, and the drop in every group.
public struct PerturbationOutcome: Codable, Sendable, Equatable {
  /// `gaussian_noise_0.1`, `fgsm_0.05`, `subgroup_shift_0.5.sex.Female`, …
  public var name: String
  /// `gaussian_noise`, `missing_features`, `category_corruption`, `subgroup_shift`, `fgsm`, `pgd`.
  public var kind: String
  /// σ, rate, shift strength or ε.
  public var level: Double
  public var accuracy: Double
  /// clean − perturbed accuracy.
  public var accuracyDrop: Double
  public var groups: [GroupOutcome]
  /// Attacks: ART's empirical robustness, the mean of ‖x′ − x‖∞ / ‖x‖∞ over rows whose predicted
  /// label changed (0 when none did).
  public var empiricalRobustness: Double?
  /// Attacks: the share of rows whose predicted label changed.
  public var predictionFlipRate: Double?

  enum CodingKeys: String, CodingKey {
    case name, kind, level, accuracy, groups
    case accuracyDrop = "accuracy_drop", empiricalRobustness = "empirical_robustness", predictionFlipRate = "prediction_flip_rate"
  }
}

/// Everything a robustness run measured.
public struct RobustnessReport: Codable, Sendable, Equatable {
  public var rowCount: Int
  public var threshold: Double
  public var cleanAccuracy: Double
  public var minimumGroupSize: Int
  public var outcomes: [PerturbationOutcome]

  enum CodingKeys: String, CodingKey {
    case threshold, outcomes
    case rowCount = "row_count", cleanAccuracy = "clean_accuracy", minimumGroupSize = "minimum_group_size"
  }

  /// Every number under the dotted names gates use:
  /// - `robustness.clean.accuracy`;
  /// - `robustness.gaussian_noise_0.1.accuracy`, `….accuracy_drop`;
  /// - attacks: `robustness.fgsm_0.05.empirical_robustness`, `….prediction_flip_rate`;
  /// - per group: `robustness.fgsm_0.05.groups.sex.Female.accuracy_drop` (undefined, with reason,
  ///   for empty groups and groups under the minimum size);
  /// - per attribute: `robustness.fgsm_0.05.sex.max_accuracy_drop` and `….accuracy_drop_gap`
  ///   (largest minus smallest group drop: does robustness differ by group?).
  public func namedMetrics(prefix: String = "robustness") -> [String: MetricEstimate] {
    var named: [String: MetricEstimate] = ["\(prefix).clean.accuracy": MetricEstimate(value: cleanAccuracy)]
    for outcome in outcomes {
      let base = "\(prefix).\(outcome.name)"
      named["\(base).accuracy"] = MetricEstimate(value: outcome.accuracy)
      named["\(base).accuracy_drop"] = MetricEstimate(value: outcome.accuracyDrop)
      if let value = outcome.empiricalRobustness {
        named["\(base).empirical_robustness"] = MetricEstimate(value: value, undefined: value.isFinite ? nil : .zeroDenominator,
                                                               detail: value.isFinite ? nil : "a changed row has ‖x‖∞ = 0")
      }
      if let value = outcome.predictionFlipRate { named["\(base).prediction_flip_rate"] = MetricEstimate(value: value) }
      var dropsByAttribute: [String: [Double]] = [:]
      for group in outcome.groups {
        let reason: UndefinedReason? = group.count == 0 ? .emptyGroup : group.insufficientData ? .insufficientData : nil
        let detail = reason == nil ? nil : "group \(group.attribute)=\(group.group) has \(group.count) rows"
        let groupBase = "\(base).groups.\(group.attribute).\(group.group)"
        named["\(groupBase).accuracy"] = MetricEstimate(value: group.accuracy, undefined: reason, detail: detail)
        named["\(groupBase).accuracy_drop"] = MetricEstimate(value: group.accuracyDrop, undefined: reason, detail: detail)
        if reason == nil { dropsByAttribute[group.attribute, default: []].append(group.accuracyDrop) }
      }
      let attributes = Set(outcome.groups.map(\.attribute))
      for attribute in attributes {
        let drops = dropsByAttribute[attribute] ?? []
        let undefined: UndefinedReason? = drops.isEmpty ? .insufficientData : nil
        named["\(base).\(attribute).max_accuracy_drop"] = MetricEstimate(value: drops.max() ?? .nan, undefined: undefined)
        named["\(base).\(attribute).accuracy_drop_gap"] = MetricEstimate(
          value: drops.isEmpty ? .nan : drops.max()! - drops.min()!, undefined: undefined)
      }
    }
    return named
  }
}
