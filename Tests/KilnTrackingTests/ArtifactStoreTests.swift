import Foundation
import Testing
@testable import KilnTracking

@Suite struct ArtifactStoreTests {
  @Test(arguments: ["/etc/passwd", "../secret", "model/../../x", "a//b", "./a", "", "a\\b", "~/x"])
  func unsafeNamesAreRejected(name: String) throws {
    #expect(throws: TrackingError.self) { try ArtifactStore.validate(name: name) }
  }

  @Test(arguments: ["model.h5", "model/checkpoint.h5", "reports/card..md"])
  func relativeNamesAreAccepted(name: String) throws {
    #expect(try ArtifactStore.validate(name: name) == name)
  }

  @Test func artifactsAreStoredByContentAndAudited() throws {
    let directory = try temporaryStoreDirectory()
    let tracker = try Tracker(storeDirectory: directory)
    let run = try tracker.startRun(experiment: "adult")
    let file = directory.appendingPathComponent("weights.bin")
    try Data("weights".utf8).write(to: file)
    let first = try run.logArtifact(file: file, name: "model/weights.bin")
    let second = try run.logArtifact(file: file, name: "model/copy.bin")
    #expect(first.sha256 == "9a129038d9a00aed0cf6a7ea059ca50a813449061ab87848cf1a13eafdf33b2c")
    #expect(first.sha256 == second.sha256)
    #expect(first.size == 7)
    let stored = tracker.artifactStore.url(for: first)
    #expect(stored.path.hasPrefix(directory.appendingPathComponent("artifacts/sha256").path))
    #expect(try Data(contentsOf: stored) == Data("weights".utf8))
    #expect(try tracker.store.artifacts(runID: run.id).map(\.name) == ["model/copy.bin", "model/weights.bin"])
    #expect(try tracker.store.auditEvents().filter { $0.kind == .artifactLogged }.count == 2)
  }

  @Test func aMissingFileIsAnError() throws {
    let tracker = try Tracker(storeDirectory: try temporaryStoreDirectory())
    let run = try tracker.startRun(experiment: "adult")
    #expect(throws: TrackingError.self) { try run.logArtifact(file: URL(fileURLWithPath: "/no/such/file"), name: "x") }
  }
}
