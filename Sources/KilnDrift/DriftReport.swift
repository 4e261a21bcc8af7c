/// Everything `kiln drift` found: per feature, the scores, the mix of each sensitive attribute's
/// groups, drift within each group, and the overall verdict.
public struct DriftReport: Codable, Sendable, Equatable {
  public var thresholds: DriftThresholds
  public var referenceRows: Int
  public var currentRows: Int
  public var features: [FeatureDrift]
  /// The prediction distribution, when a model scored both sides: the score PSI (binary), the
  /// predicted-class distribution (multi-class, `predicted_class`) or the predicted values
  /// (regression, `prediction`); see `PredictionSample`.
  public var score: FeatureDrift?
  /// One entry per sensitive attribute: the shares of its groups.
  public var groupMix: [FeatureDrift]
  public var withinGroups: [GroupDrift]
  /// The most severe verdict of all the comparisons above.
  public var verdict: DriftVerdict
  /// Where the comparison came from (model, run, dataset, current file…), for reports.
  public var context: [String: String]

  enum CodingKeys: String, CodingKey {
    case thresholds, features, score, verdict, context
    case referenceRows = "reference_rows", currentRows = "current_rows"
    case groupMix = "group_mix", withinGroups = "within_groups"
  }

  /// Names of the features whose verdict is drift.
  public var driftedFeatures: [String] { features.filter { $0.verdict == .drift }.map(\.name) }
  /// Names of the sensitive attributes whose group mix drifted.
  public var driftedGroupMixes: [String] { groupMix.filter { $0.verdict == .drift }.map(\.name) }
}

/// Drift of the features within one group of one sensitive attribute.
public struct GroupDrift: Codable, Sendable, Equatable {
  public var attribute: String
  public var group: String
  public var referenceCount: Int
  public var currentCount: Int
  /// Empty when the group is smaller than the minimum size on either side.
  public var features: [FeatureDrift]
  public var verdict: DriftVerdict

  enum CodingKeys: String, CodingKey {
    case attribute, group, features, verdict
    case referenceCount = "reference_count", currentCount = "current_count"
  }

  /// Whether the group was too small to test.
  public var isInsufficient: Bool { features.isEmpty }
  /// Names of the features whose verdict within this group is drift.
  public var driftedFeatures: [String] { features.filter { $0.verdict == .drift }.map(\.name) }
}
