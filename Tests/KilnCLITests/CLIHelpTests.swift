import Foundation
import Testing

/// Runs the built `kiln` executable as a user would and returns its exit status and output.
func runKiln(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
  try runCommand(productsDirectory().appendingPathComponent("kiln"), arguments, in: directory, environment: environment)
}

/// Runs `executable` with `arguments` and this process's environment plus `environment`; returns
/// its exit status and output.
func runCommand(_ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
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

@Suite struct BLASKernelSelectionCLITests {
  /// `OPENBLAS_CORETYPE=Prescott` makes the real OpenBLAS load its generic kernels, as it does by
  /// itself on a processor it does not recognise; Kiln keeps the user's value and warns once.
  @Test func aSlowCoreTypeTheUserSetIsKeptAndNamed() throws {
    let result = try runKiln(["--help"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
    #expect(result.status == 0)
    let warnings = result.stderr.components(separatedBy: "\n").filter { $0.contains("OPENBLAS_CORETYPE") }
    // Only a processor with AVX2 gets the warning; one without it has nothing faster to offer.
    if BLASKernelProbe.processorHasAVX2 {
      #expect(warnings.count == 1, "\(result.stderr)")
      #expect(warnings.first?.contains("Prescott") == true)
    } else {
      #expect(warnings.isEmpty)
    }
  }

  @Test func suitableKernelsPassSilently() throws {
    let result = try runKiln(["--help"], environment: ["OPENBLAS_CORETYPE": BLASKernelProbe.processorHasAVX2 ? "Haswell" : ""])
    #expect(!result.stderr.contains("OPENBLAS_CORETYPE"), "\(result.stderr)")
  }
}

/// Whether /proc/cpuinfo lists AVX2 and FMA (the test's own reading, independent of Kiln's cpuid check).
enum BLASKernelProbe {
  static let processorHasAVX2: Bool = {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let set = Set(flags.split(separator: " ").map(String.init))
    return set.contains("avx2") && set.contains("fma")
  }()
}
