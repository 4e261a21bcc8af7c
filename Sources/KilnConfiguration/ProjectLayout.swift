import Foundation
import KilnTracking

/// Where a Kiln project keeps its files, found from any directory inside it.
///
/// The project root is the nearest directory, walking up from the starting point, that holds a
/// `.kiln/` store, an `experiments/` folder or a `Package.swift`. Everything Kiln writes is
/// under it: the tracking store and artifacts in `.kiln/`, reports in `reports/`. The runs can
/// be kept elsewhere instead (a team's PostgreSQL database): see `selectedStore`.
public struct ProjectLayout: Sendable, Equatable {
  /// The project's root directory.
  public let root: URL
  /// The store chosen for this layout, nil for the embedded one in `.kiln/`.
  let chosenStore: StoreLocation?

  /// The store of every layout made without one: set once, by the executable before it runs a
  /// command, from `--store` or `KILN_STORE` (library code reads no environment). Nil keeps the
  /// embedded store.
  nonisolated(unsafe) public static var selectedStore: StoreLocation?

  /// A layout rooted at `root`, used as given, with its runs in `store` (default: `selectedStore`).
  public init(root: URL, store: StoreLocation? = ProjectLayout.selectedStore) {
    self.root = root.standardizedFileURL
    chosenStore = store
  }

  /// Where the runs are kept: the chosen store, or the embedded one in `.kiln/`.
  public var store: StoreLocation { chosenStore ?? .embedded(directory: storeDirectory) }

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
