import KilnOutput
/// Whether a larger or a smaller value of a metric is better.
///
/// The one table of Kiln's metric directions: gates on a champion, sweep objectives, early
/// stopping, best-checkpoint selection, learning-rate plateaus, monitoring and run listings all
/// read it. A name is looked up by its last dotted segment (after dropping a trailing
/// `to_overall`), first among the exact names, then by the suffixes of Kiln's derived metrics;
/// a `difference` segment (`fairness.sex.difference.accuracy`) means lower is better and a
/// `ratio` segment higher. A name found in neither has no direction: whoever needs one must
/// be told it (`direction:` in the experiment file), never a guess.
public enum MetricDirection: String, Codable, Hashable, Sendable, CaseIterable {
  /// Larger is better: accuracy, AUC, F1, R², a disparity ratio.
  case maximize
  /// Smaller is better: a loss, an error, a disparity difference, a drop under perturbation.
  case minimize

  /// Metrics where larger is better, by last segment.
  static let maximized: Set<String> = [
    "accuracy", "balanced_accuracy", "clean_accuracy", "precision", "recall", "specificity",
    "true_positive_rate", "true_negative_rate", "f1", "macro_f1", "micro_f1", "weighted_f1",
    "macro_precision", "macro_recall", "roc_auc", "roc_auc_ovr", "average_precision", "pr_auc",
    "r2", "explained_variance", "disparate_impact", "empirical_robustness",
  ]

  /// Metrics where smaller is better, by last segment.
  static let minimized: Set<String> = [
    "loss", "log_loss", "mse", "rmse", "mae", "median_absolute_error", "max_error", "brier_score",
    "expected_calibration_error", "maximum_calibration_error", "calibration_error",
    "false_positive_rate", "false_negative_rate", "prediction_flip_rate", "flip_rate", "flagged",
  ]

  /// Suffixes of derived metrics (`mae_difference`, `accuracy_drop`, `equalized_odds_ratio`).
  static let suffixes: [(suffix: String, direction: MetricDirection)] = [
    ("_difference", .minimize), ("_difference_mean", .minimize), ("_drop", .minimize),
    ("_increase", .minimize), ("_gap", .minimize), ("_loss", .minimize), ("_error", .minimize),
    ("_ratio", .maximize), ("_ratio_mean", .maximize),
  ]

  /// The direction of `name` in the table (`test.rmse`, `fairness.sex.demographic_parity_difference`,
  /// `robustness.gaussian_noise_0.1.accuracy_drop`), or nil when the table does not know it.
  public init?(forMetric name: String) {
    var parts = name.split(separator: ".").map(String.init)
    if parts.last == "to_overall" { parts.removeLast() }
    guard let last = parts.last else { return nil }
    if parts.dropLast().contains("difference") { self = .minimize; return }
    if parts.dropLast().contains("ratio") { self = .maximize; return }
    if Self.maximized.contains(last) { self = .maximize; return }
    if Self.minimized.contains(last) { self = .minimize; return }
    guard let match = Self.suffixes.first(where: { last.hasSuffix($0.suffix) }) else { return nil }
    self = match.direction
  }

  /// Whether `candidate` is strictly better than `reference` in this direction.
  public func isBetter(_ candidate: Double, than reference: Double) -> Bool {
    self == .minimize ? candidate < reference : candidate > reference
  }

  /// `value` mapped so that smaller is better (negated when maximising).
  public func lossOriented(_ value: Double) -> Double {
    self == .minimize ? value : -value
  }

  /// How far `current` is worse than `reference` (negative when it is better).
  public func worsening(from reference: Double, to current: Double) -> Double {
    self == .minimize ? current - reference : reference - current
  }
}

/// A metric whose direction was needed but is not in `MetricDirection`'s table: the message says
/// what to write.
public struct UnknownMetricDirection: KilnError, Sendable {
  public let metric: String

  public init(metric: String) {
    self.metric = metric
  }

  public var message: String { "Kiln does not know whether higher or lower `\(metric)` is better" }
  public var hint: String? { "state it with `direction: maximize` or `direction: minimize`" }
}
