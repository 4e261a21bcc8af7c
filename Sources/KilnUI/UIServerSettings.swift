import Foundation
import KilnConfiguration
import KilnOutput
import KilnTracking

/// What `kiln ui` (the `kiln-ui` program) serves and where: the store opened read-only, the
/// address, and the token rule — a server reachable beyond this machine needs a token.
public struct UIServerSettings: Sendable {
  public var host: String
  public var port: Int
  public var token: String?
  /// The store, opened read-only: a folder holding `kiln.sqlite`, or a PostgreSQL server (in a
  /// read-only session; connect as a role granted only `SELECT`, docs/tracking.md).
  public var store: StoreLocation
  /// Where artifacts' contents are: the embedded store's `artifacts/`, or the project's for a server store.
  public var artifactsDirectory: URL
  public var reportsDirectory: URL?

  /// - Parameters:
  ///   - store: `--store` (a folder holding `kiln.sqlite`, or a `postgresql://` URL), else
  ///     `KILN_STORE`, else the project's `.kiln/`.
  ///   - tokenFile: a file whose first line is the token (`--token-file`), kept out of the process list.
  /// - Throws: `UIServerError` for a non-loopback address without a token, a bad port or an
  ///   unreadable token file; `TrackingError` for a store location that cannot be read.
  public init(host: String, port: Int, token: String?, tokenFile: String?, store: String?, reports: String?,
              environment: [String: String] = ProcessInfo.processInfo.environment) throws {
    guard (0...65_535).contains(port) else {
      throw UIServerError(message: "--port \(port) is not a port number", hint: "give a port from 1 to 65535, or 0 for any free port")
    }
    self.host = host
    self.port = port
    var token = token
    if let tokenFile {
      guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
        throw UIServerError(message: "cannot read the token file \(tokenFile)", hint: "check the path and its permissions")
      }
      token = text.split(whereSeparator: \.isNewline).first.map(String.init)
    }
    if let given = token, given.count < 16 {
      throw UIServerError(message: "the token is \(given.count) characters long; it needs at least 16",
                          hint: "make one with `openssl rand -hex 24`")
    }
    if !UISecurity.isLoopback(host) && token == nil {
      throw UIServerError(message: "binding to \(host) makes the UI reachable from other machines, and no token was given",
                          hint: "pass --token (or --token-file) with a secret of 16 or more characters, or keep the default --host 127.0.0.1")
    }
    self.token = token
    let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    let layout = ProjectLayout.discover(from: current)
    let chosen = store ?? environment["KILN_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    self.store = try chosen.map { try StoreLocation.parse($0, relativeTo: current) } ?? .embedded(directory: layout.storeDirectory)
    // A server store keeps artifacts' index only: their contents stay in the project's .kiln/artifacts.
    if case .embedded(let directory) = self.store {
      artifactsDirectory = directory.appendingPathComponent("artifacts", isDirectory: true)
    } else {
      artifactsDirectory = layout.storeDirectory.appendingPathComponent("artifacts", isDirectory: true)
    }
    let reportsFolder = reports.map { URL(fileURLWithPath: $0, relativeTo: current).standardizedFileURL } ?? layout.reportsDirectory
    var isDirectory: ObjCBool = false
    reportsDirectory = FileManager.default.fileExists(atPath: reportsFolder.path, isDirectory: &isDirectory) && isDirectory.boolValue
      ? reportsFolder : nil
  }

  /// Opens the store read-only and builds the application for the port actually bound.
  public func application(boundPort: Int) throws -> UIApplication {
    return UIApplication(store: try self.store.open(readOnly: true), artifactsDirectory: artifactsDirectory,
                         reportsDirectory: reportsDirectory, security: UISecurity(host: host, port: boundPort, token: token))
  }

  /// The address to open, with the token when there is one (the page then keeps it in a cookie).
  public func url(boundPort: Int) -> String {
    let named = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    return "http://\(named):\(boundPort)/runs" + (token.map { "?token=\($0)" } ?? "")
  }
}

/// Why the UI server cannot start.
public struct UIServerError: KilnError, Sendable {
  public var message: String
  public var hint: String?
}
