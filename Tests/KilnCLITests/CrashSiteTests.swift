import Foundation
import Testing

/// No `try!`, force unwrap (`x!`, `as!`) or `fatalError` in Sources/ beyond the allowance of
/// `Tests/crash-allowlist.txt`: each of them ends the process, so on a path user input reaches
/// it is a crash instead of an error. The allowlist grants each folder a count, with the reason
/// its sites cannot be reached by input; a new site anywhere fails this test until it is
/// replaced by an error or argued for in the allowlist.
@Suite struct CrashSiteTests {
  /// The repository, found from this file (Tests/KilnCLITests/CrashSiteTests.swift).
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  struct Site: CustomStringConvertible {
    let file: String
    let line: Int
    let text: String
    var description: String { "\(file):\(line): \(text)" }
  }

  @Test func sourcesHoldNoCrashSiteBeyondTheAllowlist() throws {
    let allowance = try Self.allowlist()
    var sitesByFolder: [String: [Site]] = [:]
    let sources = Self.repository.appendingPathComponent("Sources")
    let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    #expect(files.count > 100, "found only \(files.count) Swift files under \(sources.path)")
    for file in files {
      let relative = String(file.standardizedFileURL.path.dropFirst(Self.repository.standardizedFileURL.path.count + 1))
      let folder = relative.split(separator: "/").prefix(2).joined(separator: "/") + "/"
      sitesByFolder[folder, default: []] += Self.crashSites(in: try String(contentsOf: file, encoding: .utf8), file: relative)
    }
    for (folder, sites) in sitesByFolder.sorted(by: { $0.key < $1.key }) {
      let allowed = allowance[folder] ?? 0
      #expect(sites.count <= allowed, """
        \(folder) has \(sites.count) crash sites, the allowlist grants \(allowed); replace the new ones with errors:
        \(sites.map { "  \($0)" }.joined(separator: "\n"))
        """)
    }
    for (folder, allowed) in allowance where (sitesByFolder[folder]?.count ?? 0) < allowed {
      Issue.record("\(folder) has \(sitesByFolder[folder]?.count ?? 0) crash sites but the allowlist grants \(allowed): lower it")
    }
  }

  @Test func theScannerSeesCodeNotCommentsOrStrings() {
    let code = """
      let a = try! load() // try! in a comment
      let b = x!.y + "not! a site" + "\\(dictionary[key]!)"
      /* fatalError("no") */ let c = y as! Int
      if a != b, !c { fatalError("yes") }
      let d = \"\"\"
        text! try! fatalError(
        \"\"\"
      """
    let sites = Self.crashSites(in: code, file: "x.swift")
    #expect(sites.map(\.line) == [1, 2, 3, 4], "\(sites)")
  }

  /// Folder → allowed count, from `Tests/crash-allowlist.txt` (`FOLDER COUNT  # reason` lines).
  static func allowlist() throws -> [String: Int] {
    let text = try String(contentsOf: repository.appendingPathComponent("Tests/crash-allowlist.txt"), encoding: .utf8)
    var allowance: [String: Int] = [:]
    for line in text.split(separator: "\n") {
      let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let fields = content.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count == 2, let count = Int(fields[1]) else { continue }
      allowance[String(fields[0])] = count
    }
    return allowance
  }

  /// The `try!`, force unwraps and `fatalError` calls of Swift `source`, outside comments and
  /// string literals (but inside string interpolations, which are code).
  static func crashSites(in source: String, file: String) -> [Site] {
    let code = codeOnly(source)
    var sites: [Site] = []
    for (index, line) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let characters = Array(line)
      var found = line.contains("fatalError(")
      for position in characters.indices where characters[position] == "!" && position > 0 {
        let before = characters[position - 1]
        let after = position + 1 < characters.count ? characters[position + 1] : " "
        if (before.isLetter || before.isNumber || before == "_" || before == ")" || before == "]" || before == "}")
          && after != "=" {
          found = true
        }
      }
      if found {
        let original = source.split(separator: "\n", omittingEmptySubsequences: false)[index]
        sites.append(Site(file: file, line: index + 1, text: original.trimmingCharacters(in: .whitespaces)))
      }
    }
    return sites
  }

  /// `source` with comments and string contents blanked (newlines kept, so lines still count).
  static func codeOnly(_ source: String) -> String {
    enum Mode { case code, lineComment, blockComment(depth: Int), string(multiline: Bool) }
    let characters = Array(source)
    var output: [Character] = []
    output.reserveCapacity(characters.count)
    // Each open string interpolation remembers the parenthesis depth it started at.
    var modes: [Mode] = [.code]
    var parentheses: [Int] = []
    var depth = 0
    var index = 0
    func peek(_ offset: Int) -> Character? { index + offset < characters.count ? characters[index + offset] : nil }
    while index < characters.count {
      let character = characters[index]
      switch modes[modes.count - 1] {
      case .code:
        if character == "/" && peek(1) == "/" { modes.append(.lineComment); output.append(" "); index += 1; continue }
        if character == "/" && peek(1) == "*" { modes.append(.blockComment(depth: 1)); output.append(" "); index += 2; continue }
        if character == "\"" {
          let multiline = peek(1) == "\"" && peek(2) == "\""
          modes.append(.string(multiline: multiline))
          output.append("\"")
          index += multiline ? 3 : 1
          continue
        }
        if character == "(" { depth += 1 }
        if character == ")" {
          if let open = parentheses.last, open == depth {
            parentheses.removeLast()
            modes.removeLast()  // back into the string
            output.append(")")
            index += 1
            continue
          }
          depth -= 1
        }
        output.append(character)
      case .lineComment:
        if character == "\n" { modes.removeLast(); output.append("\n") } else { output.append(" ") }
      case .blockComment(let nesting):
        if character == "*" && peek(1) == "/" {
          modes.removeLast()
          if nesting > 1 { modes.append(.blockComment(depth: nesting - 1)) }
          index += 2
          continue
        }
        if character == "/" && peek(1) == "*" { modes[modes.count - 1] = .blockComment(depth: nesting + 1); index += 2; continue }
        output.append(character == "\n" ? "\n" : " ")
      case .string(let multiline):
        if character == "\\" && peek(1) == "(" {
          parentheses.append(depth)
          modes.append(.code)
          output.append(" ")
          index += 2
          continue
        }
        if character == "\\" {
          output.append(" ")
          output.append(peek(1) == "\n" ? "\n" : " ")
          index += 2
          continue
        }
        if character == "\"" && (!multiline || (peek(1) == "\"" && peek(2) == "\"")) {
          modes.removeLast()
          output.append("\"")
          index += multiline ? 3 : 1
          continue
        }
        output.append(character == "\n" ? "\n" : " ")
      }
      index += 1
    }
    return String(output)
  }
}
