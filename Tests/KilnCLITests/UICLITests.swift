import Foundation
import Testing

/// `kiln ui` hands the process to the `kiln-ui` program built beside `kiln`, or says how to build it.
@Suite struct UICLITests {
  @Test func kilnUIHandsOverToTheServerProgram() throws {
    // kiln-ui's own option check answers, through kiln: the handoff happened with the arguments.
    let result = try runKiln(["ui", "--port", "70000"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("--port 70000 is not a port number"), "\(result.stderr)")
  }

  @Test func kilnUIWithoutTheServerSaysHowToBuildIt() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-ui-missing-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let copy = folder.appendingPathComponent("kiln")
    // Copied by `cp`, not in this process: a descriptor open for writing here could be inherited
    // by a process another test starts meanwhile, and running the copy would then fail with
    // "Text file busy".
    let cp = Process()
    cp.executableURL = URL(fileURLWithPath: "/bin/cp")
    cp.arguments = [productsDirectory().appendingPathComponent("kiln").path, copy.path]
    try cp.run()
    cp.waitUntilExit()
    try #require(cp.terminationStatus == 0)
    let process = Process()
    process.executableURL = copy
    process.arguments = ["ui"]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(text.contains("kiln-ui is not built") && text.contains("swift build -c release --product kiln-ui"), "\(text)")
  }
}
