/// Where a registered model version stands in its life, as in MLflow's model registry.
///
/// Versions move forward only: `none → staging → production → archived` (a version may skip
/// staging). A version leaves production when another one enters it (it is archived) or by a
/// rollback; an archived version comes back only through a rollback.
public enum ModelStage: String, Codable, Sendable, CaseIterable {
  case none
  case staging
  case production
  case archived

  /// The position in the forward order.
  var rank: Int {
    switch self {
    case .none: return 0
    case .staging: return 1
    case .production: return 2
    case .archived: return 3
    }
  }

  /// Whether `promote` may move a version from this stage to `target`.
  public func canMove(to target: ModelStage) -> Bool {
    target != .none && self != .archived && target.rank > rank
  }
}
