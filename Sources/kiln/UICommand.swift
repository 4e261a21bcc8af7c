import ArgumentParser
import Foundation
import KilnOutput

/// `kiln ui`: starts the browser UI, the `kiln-ui` program built beside `kiln`. The server lives
/// in its own product so that `kiln` itself builds without an HTTP stack; this command hands the
/// process over to it with the same arguments (and the `--store` choice, exported as `KILN_STORE`).
struct UICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ui",
    abstract: "Serve the runs, sweeps, models and audit log in a browser (read-only).",
    discussion: """
      Options: --port 8080, --host 127.0.0.1, --token SECRET or --token-file FILE (required for a non-loopback --host), \
      --reports FOLDER. Runs the kiln-ui program found next to kiln; build it with `swift build -c release --product kiln-ui`.
      """)

  @Argument(parsing: .captureForPassthrough, help: "Options passed to kiln-ui (see `kiln ui --help`).")
  var arguments: [String] = []

  func run() throws {
    let server = UICommand.serverExecutable()
    guard FileManager.default.isExecutableFile(atPath: server.path) else {
      throw UIServerMissing(path: server.path)
    }
    var argv: [UnsafeMutablePointer<CChar>?] = ([server.path] + arguments).map { strdup($0) }
    argv.append(nil)
    execv(server.path, &argv)
    throw UIServerMissing(path: server.path, failure: String(cString: strerror(errno)))
  }

  /// `kiln-ui` in the folder of the running `kiln`.
  static func serverExecutable() -> URL {
    let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    return executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("kiln-ui")
  }
}

/// The UI server was not built next to `kiln`, or could not be started.
struct UIServerMissing: KilnError {
  var path: String
  /// Why starting it failed, when it exists.
  var failure: String? = nil

  var message: String { failure.map { "cannot start the UI server \(path): \($0)" } ?? "the UI server \(path) is not built" }
  var hint: String? {
    "build it beside kiln with `swift build -c release --product kiln-ui` (or `swift build --product kiln-ui` for a debug kiln)"
  }
}
