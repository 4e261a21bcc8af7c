import KilnOutput
import Foundation

/// The one check that a path Kiln writes stays inside the root it belongs to (the project, the
/// reports folder, an export folder): names are checked when they are read (`Name`), and this
/// catches whatever else could lead a path out — a metric key with `..`, a new caller.
public enum ContainedPath {
  /// `root` with `components` appended, each of which may hold `/`.
  /// - Throws: `PathEscapeError` when the result, with `.` and `..` resolved, is not inside `root`.
  public static func url(under root: URL, _ components: [String], isDirectory: Bool = false) throws -> URL {
    var url = root
    for (index, component) in components.enumerated() {
      url.appendPathComponent(component, isDirectory: isDirectory || index < components.count - 1)
    }
    return try checked(url, inside: root)
  }

  /// `url` itself, once checked to lie inside `root` (or to be `root`).
  /// - Throws: `PathEscapeError` naming both.
  @discardableResult
  public static func checked(_ url: URL, inside root: URL) throws -> URL {
    let base = root.standardizedFileURL.pathComponents
    let target = url.standardizedFileURL.pathComponents
    guard target.count >= base.count, Array(target.prefix(base.count)) == base else {
      throw PathEscapeError(path: url.standardizedFileURL.path, root: root.standardizedFileURL.path)
    }
    return url
  }
}

/// A path that would leave its root.
public struct PathEscapeError: KilnError, Sendable, Equatable {
  public var path: String
  public var root: String

  public var message: String { "refusing to write \(path): it is outside \(root)" }
  public var hint: String? { "check the names in the files and options that made this path" }
}
