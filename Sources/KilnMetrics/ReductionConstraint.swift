/// The constraint a reduction (Agarwal et al. 2018, arXiv:1803.02453) imposes while training, in
/// fairlearn's names. The four parity constraints share their names with `FairnessConstraint`
/// (the threshold mitigation's); error-rate parity and bounded group loss exist only here.
///
/// - demographic parity: E[h(X) | A = a] = E[h(X)] for every group a.
/// - true-/false-positive-rate parity: the same within Y = 1 (resp. Y = 0).
/// - equalized odds: the same within each label.
/// - error-rate parity: E[|h(X) − Y| | A = a] = E[|h(X) − Y|].
/// - bounded group loss (regression): E[(h(X) − Y)² | A = a] ≤ ζ for every group a.
public enum ReductionConstraint: String, Codable, Sendable, CaseIterable {
  case demographicParity = "demographic_parity"
  case truePositiveRateParity = "true_positive_rate_parity"
  case falsePositiveRateParity = "false_positive_rate_parity"
  case equalizedOdds = "equalized_odds"
  case errorRateParity = "error_rate_parity"
  case boundedGroupLoss = "bounded_group_loss"

  /// The threshold mitigation's constraint of the same name, when there is one.
  public var fairnessConstraint: FairnessConstraint? { FairnessConstraint(rawValue: rawValue) }

  /// Whether the constraint is on a binary classifier (all but bounded group loss).
  public var isClassification: Bool { self != .boundedGroupLoss }
}
