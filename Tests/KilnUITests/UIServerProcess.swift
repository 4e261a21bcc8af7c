import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `kiln-ui` program started on a free port, and a raw HTTP/1.1 client for it: raw, so a test
/// can send what a browser or URL library would clean up first (`..`, `%2F`, another Host).
final class UIServerProcess {
  let process = Process()
  let port: Int
  let output = Pipe()

  static func executable() -> URL {
    #if os(macOS)
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("kiln-ui")
    }
    #endif
    return URL(fileURLWithPath: ".build/debug/kiln-ui")
  }

  /// Starts the server and waits for the line with its address.
  init(arguments: [String]) throws {
    process.executableURL = Self.executable()
    process.arguments = ["--port", "0"] + arguments
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    var text = ""
    let handle = output.fileHandleForReading
    while !text.contains("\n") {
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      text += String(decoding: chunk, as: UTF8.self)
    }
    guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
          let port = Int(text[range].split(separator: ":")[1]) else {
      process.terminate()
      throw UIServerStartError(output: text)
    }
    self.port = port
  }

  /// A server whose test ended without stopping it (an expectation thrown past `stop`) is killed.
  deinit {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
  }

  /// Stops the server with SIGINT (Ctrl-C) and returns its exit status and the rest of its output.
  func stop() -> (status: Int32, output: String) {
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let rest = output.fileHandleForReading.readDataToEndOfFile()
    return (process.terminationStatus, String(decoding: rest, as: UTF8.self))
  }

  struct Response {
    var status: Int
    var headers: [String: String]
    var body: String
  }

  /// Sends one request (the target exactly as given) and reads the answer to the end.
  func get(_ target: String, host: String? = nil, method: String = "GET", extraHeaders: [String: String] = [:]) throws -> Response {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw UIServerStartError(output: "socket failed") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw UIServerStartError(output: "connect failed") }
    var request = "\(method) \(target) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
    for (name, value) in extraHeaders { request += "\(name): \(value)\r\n" }
    request += "\r\n"
    _ = request.withCString { send(socket, $0, strlen($0), 0) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = recv(socket, &buffer, buffer.count, 0)
      if count <= 0 { break }
      data.append(contentsOf: buffer[0..<count])
    }
    let text = String(decoding: data, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { throw UIServerStartError(output: "no HTTP answer: \(text)") }
    let head = text[..<split.lowerBound].split(separator: "\r\n")
    let status = Int(head.first?.split(separator: " ")[1] ?? "") ?? 0
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
      let parts = line.split(separator: ":", maxSplits: 1)
      if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
    }
    return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
  }
}

struct UIServerStartError: Error, CustomStringConvertible {
  var output: String
  var description: String { "kiln-ui did not start as expected: \(output)" }
}
