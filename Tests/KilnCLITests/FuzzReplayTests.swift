import Foundation
import Testing

/// Replays every fuzz seed and every input the fuzzers found (Fuzz/corpus, Fuzz/regressions)
/// through the harnesses of Fuzz/KilnFuzz: each parser must return or throw, never crash or hang.
@Suite struct FuzzReplayTests {
  static var fuzzDirectory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fuzz")
  }

  static let targets = ["delimited", "experiment", "overrides", "recipe", "filter"]

  @Test(arguments: targets)
  func everySeedAndPastFindingParsesOrFailsCleanly(target: String) throws {
    var files: [String] = []
    for folder in ["corpus", "regressions"] {
      let directory = Self.fuzzDirectory.appendingPathComponent(folder).appendingPathComponent(target)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      files += names.sorted().map { directory.appendingPathComponent($0).path }
    }
    #expect(!files.isEmpty, "no seed corpus for \(target)")
    let process = Process()
    process.executableURL = productsDirectory().appendingPathComponent("KilnFuzz")
    process.arguments = [target] + files
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(stderr)")
    #expect(stdout.contains("replayed \(files.count) inputs"))
  }
}
