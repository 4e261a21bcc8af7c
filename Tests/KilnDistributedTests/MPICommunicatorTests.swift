import Foundation
import KilnDistributed
import Testing

/// Runs `KilnMPICheck` on real Open MPI ranks and parses each rank's `key=value` line.
private func runUnderMPI(processes: Int) throws -> [[String: String]] {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  var probe = directory
  while probe.path != "/" && !FileManager.default.fileExists(atPath: probe.appendingPathComponent("KilnMPICheck").path) {
    probe = probe.deletingLastPathComponent()
  }
  let check = probe.appendingPathComponent("KilnMPICheck")
  // Its own session directory: concurrent mpirun jobs under one base race on its removal.
  let session = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-mpi-\(UUID().uuidString.prefix(8))")
  try FileManager.default.createDirectory(at: session, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: session) }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "orte_tmpdir_base", session.path,
                       "-np", String(processes), check.path]
  var environment = ProcessInfo.processInfo.environment
  environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
  process.environment = environment
  let output = Pipe()
  process.standardOutput = output
  process.standardError = FileHandle.standardError
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  try #require(process.terminationStatus == 0, "mpirun exited with \(process.terminationStatus)")
  let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("rank=") }
  return lines.map { line in
    var fields: [String: String] = [:]
    for pair in line.split(separator: " ") {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      fields[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    return fields
  }.sorted { Int($0["rank"]!)! < Int($1["rank"]!)! }
}

@Suite struct MPICommunicatorTests {
  @Test func collectivesAgreeAcrossThreeRanks() throws {
    let ranks = try runUnderMPI(processes: 3)
    try #require(ranks.count == 3)
    for (index, fields) in ranks.enumerated() {
      #expect(fields["rank"] == String(index))
      #expect(fields["size"] == "3")
      // Σ over ranks r of (i + r) = 3i + 3.
      #expect(fields["sums"] == "3,6,9,12,15")
      #expect(fields["max"] == "2,0")
      #expect(fields["broadcast"] == "3.5,-1.0,7.0")
      #expect(fields["bytes"] == "configuration")
      // Onto rank 2 only: Σ over ranks of (100i + r) = 300i + 3; ranks 0 and 1 keep 100i + r.
      #expect(fields["reduced"] == (index == 2 ? "3,303,603" : "\(index),\(100 + index),\(200 + index)"))
      #expect(fields["ringFrom"] == String((index + 2) % 3))
      #expect(fields["invalidRankRejected"] == "true")
    }
  }

  @Test func nonblockingSumsCompleteOutOfOrderAcrossThreeRanks() throws {
    let ranks = try runUnderMPI(processes: 3)
    try #require(ranks.count == 3)
    for fields in ranks {
      // Σ over ranks r of (10i + r) = 30i + 3; Σ r = 3 and Σ 1 = 3.
      #expect(fields["nonblockingSums"] == "3,33,63,93")
      #expect(fields["nonblockingCounts"] == "3,3")
      #expect(fields["nonblockingDone"] == "true")
    }
  }
}

@Suite struct LocalCommunicatorTests {
  @Test func aGroupOfOneLeavesValuesUnchanged() throws {
    let local = LocalCommunicator()
    var values: [Float] = [1, 2, 3]
    try local.allReduceMean(&values)
    #expect(values == [1, 2, 3])
    #expect(try local.broadcast(bytes: [9, 8], root: 0) == [9, 8])
    #expect(local.isRoot)
  }

  @Test func aNonblockingSumInAGroupOfOneIsCompleteAtOnce() throws {
    let local = LocalCommunicator()
    var values: [Float] = [4, 5]
    try values.withUnsafeMutableBufferPointer { buffer in
      let request = try local.startAllReduceSum(buffer)
      #expect(try request.test())
      try request.wait()
    }
    #expect(values == [4, 5])
  }

  @Test func pointToPointInAGroupOfOneIsAnError() {
    let local = LocalCommunicator()
    #expect(throws: CommunicatorError.self) { try local.send([1], to: 1, tag: 0) }
  }
}
