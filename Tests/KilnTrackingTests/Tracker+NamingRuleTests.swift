import Foundation
import Testing
@testable import KilnTracking

extension StoreContractTests {
  /// The tracker is the last place a name passes before it becomes a folder or file name.
  @Suite struct NamingRule {
    @Test(arguments: StoreFactory.all) func experimentAndRunNamesFollowTheRule(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      for name in ["../../elsewhere", "..", "a/b", ".x"] {
        let experiment = try #require(throws: TrackingError.self) { try tracker.startRun(experiment: name) }
        #expect(experiment.code == .invalidName)
        #expect(experiment.description.contains("not a valid experiment name"))
        let run = try #require(throws: TrackingError.self) { try tracker.startRun(experiment: "adult", name: name) }
        #expect(run.description.contains("not a valid run name"))
      }
      // The default run name is within the rule too.
      let run = try tracker.startRun(experiment: "adult")
      #expect(run.record.name.hasPrefix("adult-"))
      #expect(!run.record.name.contains(":"))
    }

    @Test(arguments: StoreFactory.all) func modelNamesFollowTheRuleWhenRegistered(_ kind: StoreFactory) throws {
      let tracker = try kind.tracker()
      let store = tracker.store
      let run = try tracker.startRun(experiment: "adult")
      try run.finish()
      for name in ["..", "../../../elsewhere", "a b"] {
        let error = try #require(throws: TrackingError.self) {
          try store.registerModelVersion(ModelVersionDraft(modelName: name, runID: run.id, checkpointArtifact: "model/checkpoint.h5",
                                                           checkpointSHA256: "ab", datasetFingerprint: "f00d", gitCommit: nil,
                                                           configurationHash: "cafe"), at: Date())
        }
        #expect(error.description.contains("not a valid model name"))
      }
      #expect(try store.modelVersions(model: "..").isEmpty)
    }

    @Test func artifactNamesFollowTheRuleForEachPart() {
      for name in ["model/../x", ".kiln/x", "model/ x"] {
        #expect(throws: TrackingError.self, "\(name)") { try ArtifactStore.validate(name: name) }
      }
    }
  }
}
