import Foundation

/// One HTTP request as the UI sees it: the method, the request target exactly as it arrived
/// (still percent-encoded, so an encoded slash stays distinguishable from a real one) and the headers.
public struct UIRequest: Sendable {
  public var method: String
  /// The raw request target: `/runs?where=...`.
  public var target: String
  /// Header values by lowercased name.
  public var headers: [String: String]

  public init(method: String, target: String, headers: [String: String]) {
    self.method = method
    self.target = target
    self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
  }

  /// The path part of the target, still encoded.
  public var rawPath: String { String(target.prefix { $0 != "?" && $0 != "#" }) }

  /// The decoded query parameters, the first value of each name.
  public var query: [String: String] {
    guard let mark = target.firstIndex(of: "?") else { return [:] }
    var values: [String: String] = [:]
    for pair in target[target.index(after: mark)...].split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = Self.formDecoded(String(parts[0]))
      let value = parts.count > 1 ? Self.formDecoded(String(parts[1])) : ""
      if let name, let value, values[name] == nil { values[name] = value }
    }
    return values
  }

  /// Every decoded value of the query parameter `name`, in order (checkboxes repeat a name).
  public func queryValues(_ name: String) -> [String] {
    guard let mark = target.firstIndex(of: "?") else { return [] }
    return target[target.index(after: mark)...].split(separator: "&").compactMap { pair in
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard Self.formDecoded(String(parts[0])) == name, parts.count > 1 else { return nil }
      return Self.formDecoded(String(parts[1]))
    }
  }

  /// `application/x-www-form-urlencoded` decoding: `+` is a space, then percent-decoding.
  static func formDecoded(_ text: String) -> String? {
    text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
  }

  /// The path's segments, each percent-decoded, or nil when a segment could lead out of its place:
  /// `.` or `..`, an encoded `/` or `\`, a NUL byte, or invalid percent-encoding.
  public var pathSegments: [String]? {
    var segments: [String] = []
    for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
      guard let decoded = String(raw).removingPercentEncoding else { return nil }
      if decoded == "." || decoded == ".." || decoded.contains("/") || decoded.contains("\\") || decoded.contains("\0") {
        return nil
      }
      segments.append(decoded)
    }
    return segments
  }
}

/// What the UI answers: a status, a content type, extra headers and the body.
public struct UIResponse: Sendable {
  public var status: Int
  public var contentType: String
  public var headers: [String: String]
  public var body: Data

  public init(status: Int = 200, contentType: String, headers: [String: String] = [:], body: Data) {
    self.status = status
    self.contentType = contentType
    self.headers = headers
    self.body = body
  }

  public static func html(_ text: String, status: Int = 200) -> UIResponse {
    UIResponse(status: status, contentType: "text/html; charset=utf-8", body: Data(text.utf8))
  }

  public static func text(_ text: String, status: Int) -> UIResponse {
    UIResponse(status: status, contentType: "text/plain; charset=utf-8", body: Data(text.utf8))
  }

  public static func json(_ text: String) -> UIResponse {
    UIResponse(contentType: "application/json; charset=utf-8", body: Data(text.utf8))
  }

  /// A CSV download named `filename`.
  public static func csv(_ text: String, filename: String) -> UIResponse {
    UIResponse(contentType: "text/csv; charset=utf-8",
               headers: ["Content-Disposition": "attachment; filename=\"\(filename)\""], body: Data(text.utf8))
  }

  public static func redirect(to location: String, headers: [String: String] = [:]) -> UIResponse {
    UIResponse(status: 303, contentType: "text/plain; charset=utf-8", headers: headers.merging(["Location": location]) { $1 },
               body: Data("see \(location)\n".utf8))
  }
}
