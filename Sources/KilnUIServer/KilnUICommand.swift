import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import KilnOutput
import KilnUI
import NIOCore

/// `kiln-ui`: the browser UI's server, which `kiln ui` starts. Kept apart from `kiln` so that the
/// command-line program builds without SwiftNIO.
@main
struct KilnUICommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kiln ui",
    abstract: "Serve the runs, sweeps, models and audit log in a browser (read-only).",
    discussion: """
      Opens the tracking store read-only and serves it at http://127.0.0.1:8080/runs until Ctrl-C. \
      Binding to another address than loopback requires --token (or --token-file): every request must then carry it.
      """)

  @Option(help: "The store folder holding kiln.sqlite (default: KILN_STORE, else the project's .kiln/).") var store: String?
  @Option(help: "The port to listen on (0 picks a free one).") var port = 8080
  @Option(help: "The address to bind to.") var host = "127.0.0.1"
  @Option(help: "A secret of 16+ characters every request must carry (required beyond loopback).") var token: String?
  @Option(help: "A file whose first line is the token.") var tokenFile: String?
  @Option(help: "The reports folder (model cards, drift and monitor reports; default: the project's reports/).") var reports: String?

  func run() async throws {
    let settings: UIServerSettings
    do {
      settings = try UIServerSettings(host: host, port: port, token: token, tokenFile: tokenFile, store: store, reports: reports)
      // Opened once here so that a missing or unreadable store fails before the server starts.
      _ = try settings.application(boundPort: port)
    } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(1)
    }
    let responder = UIResponder(settings: settings)
    let application = Application(
      responder: responder,
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "kiln-ui"),
      onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? settings.port
        do {
          try await responder.start(boundPort: bound)
          print("kiln ui: serving \(settings.store) (read-only) at \(settings.url(boundPort: bound))")
          print("kiln ui: press Ctrl-C to stop")
          fflush(stdout)
        } catch {
          FileHandle.standardError.write(Data("error: \(error)\n".utf8))
          Foundation.exit(1)
        }
      },
      logger: {
        var logger = Logger(label: "kiln-ui")
        logger.logLevel = .warning
        return logger
      }())
    try await application.runService()
    print("kiln ui: stopped")
  }
}

/// Hands each request to the UI application on a thread of its own (the store's reads block),
/// and its answer back to Hummingbird.
final class UIResponder: HTTPResponder, @unchecked Sendable {
  typealias Context = BasicRequestContext
  let settings: UIServerSettings
  private let lock = NSLock()
  private var application: UIApplication?
  private let queue = DispatchQueue(label: "kiln-ui.requests", attributes: .concurrent)

  init(settings: UIServerSettings) { self.settings = settings }

  func start(boundPort: Int) async throws {
    let built = try settings.application(boundPort: boundPort)
    lock.withLock { application = built }
  }

  func respond(to request: Request, context: Context) async throws -> Response {
    guard let application = lock.withLock({ application }) else {
      return Response(status: .serviceUnavailable)
    }
    var headers: [String: String] = [:]
    for field in request.headers where headers[field.name.canonicalName] == nil { headers[field.name.canonicalName] = field.value }
    // HTTP/1.1's Host header arrives as the request's authority.
    if let authority = request.head.authority { headers["host"] = authority }
    let uiRequest = UIRequest(method: request.method.rawValue, target: request.head.path ?? "/", headers: headers)
    let answer = await withCheckedContinuation { continuation in
      queue.async { continuation.resume(returning: application.respond(to: uiRequest)) }
    }
    var fields = HTTPFields()
    fields[.contentType] = answer.contentType
    for (name, value) in answer.headers {
      if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
    }
    let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
    return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: body)
  }
}

