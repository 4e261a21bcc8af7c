import Foundation
import Testing

/// `kiln dataset import` on real-world CSV: line endings, a byte order mark, quoting, duplicated
/// and ragged input, gzip and Latin-1 — each read the way pandas reads it, or refused with its line.
@Suite struct DatasetDelimitedCLITests {
  private struct Project {
    let root: URL
    init() throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-csv-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// Writes the raw file and a recipe reading it (header row; colour categorical, age numeric).
    func importing(_ bytes: [UInt8], file: String = "all.csv", format extra: String = "") throws -> (status: Int32, stdout: String, stderr: String) {
      try Data(bytes).write(to: root.appendingPathComponent(file))
      let recipe = """
        name: colours
        version: "1"
        source: test
        license: CC0
        format: {delimiter: ",", header: true, missing: ["?"]\(extra)}
        split: {file: \(file), test_fraction: 0.25, seed: 1}
        label: {column: y, positive: "1", negative: "0"}
        columns: {numeric: [age], categorical: [colour]}
        sensitive: []
        missing_policy: drop
        """
      try Data(recipe.utf8).write(to: root.appendingPathComponent("dataset.yaml"))
      return try runKiln(["dataset", "import", root.appendingPathComponent("dataset.yaml").path,
                          "--output", root.appendingPathComponent("colours.h5").path])
    }

    func featureNames() throws -> [String] {
      let inspected = try runKiln(["dataset", "inspect", root.appendingPathComponent("colours.h5").path, "--json"])
      let profile = try #require(try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any])
      let features = try #require(profile["features"] as? [[String: Any]])
      return features.compactMap { $0["name"] as? String }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
  }

  /// Forty rows of age, colour, label, each colour in both classes.
  private func rows(_ separator: String = "\n", quoteRed: Bool = false) -> String {
    let body = (0..<40).map { index in
      let colour = index % 2 == 0 ? (quoteRed && index % 4 == 0 ? "\"red\"" : "red") : "blue"
      return "\(20 + index),\(colour),\(index / 2 % 2)"
    }
    return (["age,colour,y"] + body).joined(separator: separator) + separator
  }

  @Test func aCRLFFileImports() throws {
    let project = try Project()
    defer { project.remove() }
    let result = try project.importing(Array(rows("\r\n").utf8))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try project.featureNames() == ["age", "colour=blue", "colour=red", "colour=<unknown>"])
  }

  @Test func aByteOrderMarkDoesNotJoinTheFirstColumnName() throws {
    let project = try Project()
    defer { project.remove() }
    let result = try project.importing([0xEF, 0xBB, 0xBF] + Array(rows().utf8))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try project.featureNames().first == "age")
  }

  @Test func aQuotedValueIsTheSameCategoryAsTheUnquotedOne() throws {
    let project = try Project()
    defer { project.remove() }
    let result = try project.importing(Array(rows(quoteRed: true).utf8))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try project.featureNames() == ["age", "colour=blue", "colour=red", "colour=<unknown>"])
  }

  @Test func aDuplicatedHeaderNameIsAnErrorNotACrash() throws {
    let project = try Project()
    defer { project.remove() }
    let lines = rows().split(separator: "\n").map { $0 + ",30" }.joined(separator: "\n")
    let result = try project.importing(Array(lines.replacingOccurrences(of: "age,colour,y,30", with: "age,colour,y,age").utf8))
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("all.csv:1: column 'age' appears twice in the header, as column 1 and column 4"))
  }

  @Test func aRaggedRowAfterAQuotedCommaIsAnErrorWithItsOwnLine() throws {
    let project = try Project()
    defer { project.remove() }
    var text = rows().replacingOccurrences(of: "21,blue,0", with: "21,\"blue, dark\",0")
    text = text.replacingOccurrences(of: "23,blue,1", with: "23,blue")
    let result = try project.importing(Array(text.utf8))
    #expect(result.status == 1)
    #expect(result.stderr.contains("all.csv:5: expected 3 fields, found 2"), "\(result.stderr)")
  }

  /// The bytes `gzip -c` (the real tool) makes of `bytes`.
  private func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-gzip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let plain = directory.appendingPathComponent("rows.csv")
    try Data(bytes).write(to: plain)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -c -n '\(plain.path)' > '\(plain.path).gz'"]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "gzip failed")
    return Array(try Data(contentsOf: plain.appendingPathExtension("gz")))
  }

  @Test func aGzipFileImportsAsItsTextAndATruncatedOneIsRefusedWithItsName() throws {
    let project = try Project()
    defer { project.remove() }
    let compressed = try gzipped(Array(rows("\r\n", quoteRed: true).utf8))
    let result = try project.importing(compressed, file: "all.csv.gz")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try project.featureNames() == ["age", "colour=blue", "colour=red", "colour=<unknown>"])
    let plain = try Project()
    defer { plain.remove() }
    #expect(try plain.importing(Array(rows().utf8)).status == 0)
    let rowsOf = { (project: Project) throws -> [String: Int]? in
      let inspected = try runKiln(["dataset", "inspect", project.root.appendingPathComponent("colours.h5").path, "--json"])
      return (try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any])?["splits"] as? [String: Int]
    }
    let splits = try #require(try rowsOf(project))
    #expect(splits == (try rowsOf(plain)), "the same rows in the same splits")
    #expect(splits.values.reduce(0, +) == 40)
    let truncated = try project.importing(Array(compressed.prefix(compressed.count / 2)), file: "all.csv.gz")
    #expect(truncated.status == 1)
    #expect(truncated.stderr.contains("all.csv.gz"), "\(truncated.stderr)")
    #expect(truncated.stderr.contains("truncated") || truncated.stderr.contains("corrupt"), "\(truncated.stderr)")
  }

  @Test func aLatin1FileImportsWithItsDeclaredEncodingAndFailsWithTheLineWithout() throws {
    let project = try Project()
    defer { project.remove() }
    let latin1 = Array(rows().replacingOccurrences(of: "blue", with: "bl#u").utf8).map { $0 == UInt8(ascii: "#") ? 0xE9 : $0 }
    let result = try project.importing(latin1, format: ", encoding: latin-1")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try project.featureNames() == ["age", "colour=bl\u{E9}u", "colour=red", "colour=<unknown>"])
    let undeclared = try project.importing(latin1)
    #expect(undeclared.status == 1)
    #expect(undeclared.stderr.contains("all.csv:3: column 2 ('colour'): invalid UTF-8 text"), "\(undeclared.stderr)")
    #expect(undeclared.stderr.contains("format.encoding"))
  }
}
