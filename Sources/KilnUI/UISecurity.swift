import Foundation
import KilnCrypto

/// The checks every request passes before any page runs, and the headers every answer carries.
///
/// - Host: the `Host` header must name the address the server is bound to (or, on loopback, one
///   of the loopback names), so a page on another site cannot reach the UI through DNS rebinding.
/// - Token: when the server listens beyond loopback it requires a token on every request: a
///   `Authorization: Bearer` header, or the cookie set when the printed link's `?token=` is opened.
/// - Only GET and HEAD: the UI reads; nothing it serves changes the store.
public struct UISecurity: Sendable {
  /// The `Host` header values accepted, lowercased.
  public let allowedHosts: Set<String>
  public let token: String?

  static let cookieName = "kiln_ui_token"

  /// The strict policy of Kiln's own pages: nothing from elsewhere, scripts and styles from Kiln
  /// only, no inline script.
  static let contentSecurityPolicy = [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "frame-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
  ].joined(separator: "; ")

  /// The policy of an embedded model card: its own inline styles, still nothing from elsewhere
  /// and no script at all; only Kiln's own pages may frame it.
  static let embeddedDocumentPolicy = [
    "default-src 'none'", "style-src 'unsafe-inline'", "img-src data:", "frame-ancestors 'self'", "base-uri 'none'", "form-action 'none'",
  ].joined(separator: "; ")

  /// - Parameters:
  ///   - host: the address the server binds to.
  ///   - port: the port it listens on.
  public init(host: String, port: Int, token: String?) {
    var hosts: Set<String> = []
    let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    let named = bare.contains(":") ? "[\(bare)]" : bare
    hosts.insert("\(named):\(port)".lowercased())
    if UISecurity.isLoopback(bare) {
      for name in ["localhost", "127.0.0.1", "[::1]"] { hosts.insert("\(name):\(port)") }
    }
    allowedHosts = hosts
    self.token = token
  }

  /// Whether `host` is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
  public static func isLoopback(_ host: String) -> Bool {
    let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
  }

  /// The answer that refuses `request`, or nil when it may proceed.
  func refusal(of request: UIRequest) -> UIResponse? {
    guard let host = request.headers["host"]?.lowercased(), allowedHosts.contains(host) else {
      return .text("refused: the Host header does not name the address this server is bound to\n", status: 421)
    }
    guard request.method == "GET" || request.method == "HEAD" else {
      var response = UIResponse.text("only GET and HEAD: the UI reads the store and changes nothing\n", status: 405)
      response.headers["Allow"] = "GET, HEAD"
      return response
    }
    guard let token else { return nil }
    if let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer "),
       UISecurity.constantTimeEqual(String(authorization.dropFirst("Bearer ".count)), token) {
      return nil
    }
    if let cookie = cookieToken(request), UISecurity.constantTimeEqual(cookie, token) { return nil }
    if let offered = request.query["token"], UISecurity.constantTimeEqual(offered, token) {
      // The link printed at start carries the token once; the cookie carries it afterwards, so
      // it does not stay in the address bar or the history.
      return .redirect(to: request.rawPath, headers: [
        "Set-Cookie": "\(UISecurity.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict",
      ])
    }
    return .text("refused: this server requires its token (open the link it printed, or send Authorization: Bearer TOKEN)\n", status: 401)
  }

  func cookieToken(_ request: UIRequest) -> String? {
    guard let header = request.headers["cookie"] else { return nil }
    for part in header.split(separator: ";") {
      let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
      if pair.count == 2, pair[0] == UISecurity.cookieName { return String(pair[1]) }
    }
    return nil
  }

  /// Compares digests, so the time taken does not tell how much of a guess was right.
  static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let left = Array(SHA256.hexDigest(a.utf8).utf8), right = Array(SHA256.hexDigest(b.utf8).utf8)
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
  }

  /// Adds the headers every answer carries.
  func secured(_ response: UIResponse, embedded: Bool = false) -> UIResponse {
    var response = response
    response.headers["Content-Security-Policy"] = embedded ? UISecurity.embeddedDocumentPolicy : UISecurity.contentSecurityPolicy
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = embedded ? "SAMEORIGIN" : "DENY"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
  }
}
