import KilnRecipes
import Foundation
import Testing
@testable import KilnData

/// An import killed with SIGKILL before its rename leaves `.NAME.h5.PID.UUID.tmp` behind; the next
/// import of the same file removes it, and never a live writer's.
@Suite struct DatasetImporterAbandonedFilesTests {
  /// The id of a process that has exited (a child that ran and was reaped).
  func deadProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
  }

  @Test func theNextImportRemovesWhatAKilledImportLeftAndKeepsALiveWritersFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    _ = try directory.write("dataset.yaml", """
      name: tiny
      version: "1"
      source: tests
      license: none
      format: {delimiter: ",", header: true, missing: []}
      files: {train: train.csv, test: test.csv}
      label: {column: y, positive: "yes", negative: "no"}
      columns: {numeric: [x], categorical: []}
      sensitive: []
      missing_policy: drop
      """)
    _ = try directory.write("train.csv", "x,y\n1,yes\n2,no\n3,yes\n4,no\n")
    _ = try directory.write("test.csv", "x,y\n5,yes\n6,no\n")
    let killed = ".tiny.h5.\(try deadProcessID()).\(UUID().uuidString).tmp"
    let olderForm = ".tiny.h5.\(UUID().uuidString).tmp"
    let live = ".tiny.h5.\(getppid()).\(UUID().uuidString).tmp"
    let unrelated = ".other.h5.\(try deadProcessID()).\(UUID().uuidString).tmp"
    for name in [killed, olderForm, live, unrelated] { _ = try directory.write(name, "partial") }

    _ = try DatasetImporter.importDataset(recipe: directory.file("dataset.yaml"))
    let left = Set(directory.contents())
    #expect(left.contains("tiny.h5"))
    #expect(!left.contains(killed) && !left.contains(olderForm))
    #expect(left.contains(live), "a running process's file is not touched")
    #expect(left.contains(unrelated), "only the imported file's leftovers are removed")
  }
}
