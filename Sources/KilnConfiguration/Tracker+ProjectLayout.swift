import Foundation
import KilnTracking

extension Tracker {
  /// The tracker over a project's `.kiln/` store.
  /// - Parameter mustExist: when true, a project without a store is an error rather than a new store.
  public convenience init(layout: ProjectLayout, mustExist: Bool = false) throws {
    if mustExist, !FileManager.default.fileExists(atPath: layout.databaseFile.path) {
      throw TrackingError(.databaseUnavailable, "no tracking store at \(layout.databaseFile.path)",
                          hint: "runs are recorded by `kiln train` and `kiln sweep`; run one first, or run this command inside the project")
    }
    try self.init(storeDirectory: layout.storeDirectory)
  }

  /// The store's current head, or nil when the project has no store yet (reports written without one record none).
  public static func currentAuditHead(layout: ProjectLayout) -> AuditHead? {
    guard FileManager.default.fileExists(atPath: layout.databaseFile.path) else { return nil }
    return try? Tracker(layout: layout, mustExist: true).auditHead()
  }
}
