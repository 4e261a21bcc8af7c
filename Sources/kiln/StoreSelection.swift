import Foundation
import KilnConfiguration
import KilnTracking

/// The one place that chooses where runs are kept: `--store <url-or-folder>` (anywhere on the
/// command line, for every command) or else `KILN_STORE`; the project's embedded `.kiln/` store
/// when neither is given. `postgresql://user:password@host:port/database` opens the PostgreSQL
/// store; any other text is a folder for the embedded store.
enum StoreSelection {
  static let environmentVariable = "KILN_STORE"

  /// Takes `--store` out of `arguments` and makes the choice every project layout uses. The
  /// choice is exported as `KILN_STORE`, so the processes a command starts (sweep workers, MPI
  /// ranks) keep the same store.
  /// - Returns: the arguments without `--store`.
  static func apply(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String] {
    var remaining: [String] = []
    var chosen = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let argument = arguments[index]
      if argument == "--" {
        remaining += arguments[index...]
        break
      }
      if argument == "--store" {
        guard index + 1 < arguments.endIndex else {
          throw TrackingError(.databaseUnavailable, "--store needs a value",
                              hint: "give --store postgresql://user@host:port/database, or a folder for the embedded store")
        }
        chosen = arguments[index + 1]
        index += 2
        continue
      }
      if argument.hasPrefix("--store=") {
        chosen = String(argument.dropFirst("--store=".count))
        index += 1
        continue
      }
      remaining.append(argument)
      index += 1
    }
    if let chosen {
      let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
      ProjectLayout.selectedStore = try StoreLocation.parse(chosen, relativeTo: current)
      setenv(environmentVariable, chosen, 1)
    }
    return remaining
  }
}
