import Foundation

/// Where a Kiln project keeps its files, found from any directory inside it.
///
/// The project root is the nearest directory, walking up from the starting point, that holds a
/// `.kiln/` store, an `experiments/` folder or a `Package.swift`. Everything Kiln writes is
/// under it: the tracking store and artifacts in `.kiln/`, reports in `reports/`.
public struct ProjectLayout: Sendable, Equatable {
  /// The project's root directory.
  public let root: URL

  /// A layout rooted at `root`, used as given.
  public init(root: URL) {
    self.root = root.standardizedFileURL
  }

  /// The layout of the project containing `directory` (default: the current directory); when no
  /// marker is found on the way up, `directory` itself is the root.
  public static func discover(from directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> ProjectLayout {
    let fileManager = FileManager.default
    var candidate = directory.standardizedFileURL
    while true {
      for marker in [".kiln", "experiments", "Package.swift"] {
        if fileManager.fileExists(atPath: candidate.appendingPathComponent(marker).path) {
          return ProjectLayout(root: candidate)
        }
      }
      let parent = candidate.deletingLastPathComponent()
      if parent.path == candidate.path { return ProjectLayout(root: directory.standardizedFileURL) }
      candidate = parent
    }
  }

  /// `.kiln/`: the tracking store and its artifacts.
  public var storeDirectory: URL { root.appendingPathComponent(".kiln", isDirectory: true) }
  /// `.kiln/kiln.sqlite`: the embedded tracking database.
  public var databaseFile: URL { storeDirectory.appendingPathComponent("kiln.sqlite") }
  /// `.kiln/artifacts/`: content-addressed artifact files.
  public var artifactsDirectory: URL { storeDirectory.appendingPathComponent("artifacts", isDirectory: true) }
  /// `reports/`: model cards, promotion and drift reports.
  public var reportsDirectory: URL { root.appendingPathComponent("reports", isDirectory: true) }
  /// `experiments/`: one YAML file per experiment.
  public var experimentsDirectory: URL { root.appendingPathComponent("experiments", isDirectory: true) }
  /// `datasets/`: raw files, recipes and imported HDF5 datasets.
  public var datasetsDirectory: URL { root.appendingPathComponent("datasets", isDirectory: true) }
}
