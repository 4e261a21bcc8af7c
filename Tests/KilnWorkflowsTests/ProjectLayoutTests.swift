import Foundation
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline
import Testing

@Suite struct ProjectLayoutTests {
  @Test func discoveryWalksUpToTheDirectoryHoldingExperiments() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-layout-\(UUID().uuidString)")
    let nested = root.appendingPathComponent("a/b/c")
    try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }

    let layout = ProjectLayout.discover(from: nested)
    #expect(layout.root.resolvingSymlinksInPath().path == root.resolvingSymlinksInPath().path)
    #expect(layout.databaseFile.lastPathComponent == "kiln.sqlite")
    #expect(layout.databaseFile.deletingLastPathComponent().lastPathComponent == ".kiln")
  }

  @Test func withoutAMarkerTheStartingDirectoryIsTheRoot() throws {
    let lonely = URL(fileURLWithPath: "/proc/self")
    let layout = ProjectLayout.discover(from: lonely)
    #expect(layout.root.path == "/proc/self")
  }
}
