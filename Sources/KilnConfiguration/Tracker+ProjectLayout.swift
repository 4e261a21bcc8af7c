import Foundation
import KilnTracking

extension Tracker {
  /// The tracker over a project's store (`layout.store`: `.kiln/`, or the one chosen with
  /// `--store`), its artifact contents in `.kiln/artifacts/`.
  /// - Parameter mustExist: when true, a project without a store is an error rather than a new store.
  public convenience init(layout: ProjectLayout, mustExist: Bool = false) throws {
    if mustExist, !layout.store.exists {
      throw TrackingError(.databaseUnavailable, "no tracking store at \(layout.store)",
                          hint: "runs are recorded by `kiln train` and `kiln sweep`; run one first, or run this command inside the project")
    }
    try self.init(location: layout.store, artifactsDirectory: layout.artifactsDirectory)
  }

  /// The store's current head, or nil when the project has no store yet (reports written without one record none).
  public static func currentAuditHead(layout: ProjectLayout) -> AuditHead? {
    guard layout.store.exists else { return nil }
    return try? Tracker(layout: layout, mustExist: true).auditHead()
  }
}
