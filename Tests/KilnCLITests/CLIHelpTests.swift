import Foundation
import Testing

/// Runs the built `kiln` executable as a user would and returns its exit status and output.
func runKiln(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
  let executable = productsDirectory().appendingPathComponent("kiln")
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
  let stderrData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: stdoutData, as: UTF8.self), String(decoding: stderrData, as: UTF8.self))
}

/// The directory holding the built products (the test bundle sits beside the executables).
func productsDirectory() -> URL {
  var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  while url.path != "/" {
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("kiln").path) { return url }
    url = url.deletingLastPathComponent()
  }
  return URL(fileURLWithPath: ".build/debug")
}

@Suite struct CLIHelpTests {
  @Test func helpNamesTheTool() throws {
    let result = try runKiln(["--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("USAGE: kiln"))
  }

  @Test func anUnknownSubcommandFailsWithAMessage() throws {
    let result = try runKiln(["no-such-command"])
    #expect(result.status != 0)
    #expect(!result.stderr.isEmpty)
  }
}
