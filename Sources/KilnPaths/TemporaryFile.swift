import Foundation

/// The temporary files that every atomic write of Kiln fills before renaming it over its target
/// (datasets, checkpoints, reports, exports, scores):
/// `.NAME.PID.UUID.tmp` beside `NAME`. The writer's process id in the name lets a later writer of
/// the same target remove what a killed one left behind without touching a live writer's file.
public enum TemporaryFile {
  /// A fresh temporary file name beside `url`, owned by this process.
  public static func beside(_ url: URL) -> URL {
    url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
  }

  /// Removes the temporary files beside `url` whose writer process no longer exists (killed
  /// during a write), and those of the older form without a process id.
  /// - Returns: the files removed.
  @discardableResult
  public static func removeAbandoned(besides url: URL) -> [URL] {
    let directory = url.deletingLastPathComponent()
    let prefix = ".\(url.lastPathComponent)."
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
    var removed: [URL] = []
    for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
      let middle = name.dropFirst(prefix.count).dropLast(".tmp".count).split(separator: ".")
      if middle.count == 2, let owner = Int32(middle[0]), processExists(owner) { continue }
      guard middle.count <= 2 else { continue }
      let file = directory.appendingPathComponent(name)
      if (try? FileManager.default.removeItem(at: file)) != nil { removed.append(file) }
    }
    return removed
  }

  static func processExists(_ processID: Int32) -> Bool {
    processID == getpid() || kill(processID, 0) == 0 || errno == EPERM
  }
}
