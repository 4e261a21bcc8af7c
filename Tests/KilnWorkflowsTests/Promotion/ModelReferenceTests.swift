import Foundation
import KilnTracking
import Testing
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline

@Suite struct ModelReferenceTests {
  /// A store with `adult` v1 archived, v2 in production (champion), v3 and v4 in staging, v5
  /// unstaged, and `credit` v1 unstaged.
  struct Registry {
    let store: any TrackingStore
    var runs: [Int: String] = [:]

    init() throws {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-model-reference-\(UUID().uuidString)")
      let tracker = try Tracker(storeDirectory: directory)
      store = tracker.store
      let time = Date(timeIntervalSince1970: 1_800_000_000)
      func register(_ model: String) throws -> ModelVersionRecord {
        let run = try tracker.startRun(experiment: model)
        try run.finish()
        return try store.registerModelVersion(ModelVersionDraft(
          modelName: model, runID: run.id, checkpointArtifact: "model/checkpoint.h5", checkpointSHA256: nil,
          datasetFingerprint: "f00d", gitCommit: nil, configurationHash: "cafe"), at: time)
      }
      for _ in 1...5 {
        let version = try register("adult")
        runs[version.version] = version.runID
      }
      _ = try register("credit")
      let moves: [(Int, ModelStage)] = [(1, .production), (2, .production), (3, .staging), (4, .staging)]
      for (offset, (version, stage)) in moves.enumerated() {
        _ = try store.changeStage(model: "adult", version: version, StageChangeRequest(target: stage, approver: "ana"),
                                  at: time + Double(offset + 1))
      }
    }

    func resolve(_ text: String) throws -> ModelVersionRecord { try ModelReference.parse(text).resolve(in: store) }
  }

  @Test func parsingAcceptsEachDocumentedForm() throws {
    #expect(try ModelReference.parse("adult") == ModelReference(name: "adult", selector: .production))
    #expect(try ModelReference.parse("adult@production") == ModelReference(name: "adult", selector: .production))
    #expect(try ModelReference.parse("adult@staging") == ModelReference(name: "adult", selector: .staging))
    #expect(try ModelReference.parse("adult-mlp@champion") == ModelReference(name: "adult-mlp", selector: .champion))
    #expect(try ModelReference.parse("adult:12") == ModelReference(name: "adult", selector: .version(12)))
  }

  @Test func malformedReferencesNameTheAcceptedForms() {
    for text in ["", "@staging", "adult@", "adult@prod", "adult:", "adult:0", "adult:+3", "adult:two", "adult:2@staging"] {
      #expect(throws: ModelReferenceError.self, "\(text)") { try ModelReference.parse(text) }
      do {
        _ = try ModelReference.parse(text)
      } catch {
        #expect("\(error)".contains("NAME@staging"), "\(text): \(error)")
      }
    }
  }

  @Test func resolutionPicksTheVersionOfEachStage() throws {
    let registry = try Registry()
    #expect(try registry.resolve("adult").version == 2)
    #expect(try registry.resolve("adult@production").runID == registry.runs[2])
    #expect(try registry.resolve("adult@champion").version == 2)
    #expect(try registry.resolve("adult@staging").version == 4)
    #expect(try registry.resolve("adult:1").runID == registry.runs[1])
    #expect(try registry.resolve("adult:5").stage == ModelStage.none)
  }

  @Test func unknownModelsListTheRegisteredOnes() throws {
    let registry = try Registry()
    let error = try #require(throws: ModelReferenceError.self) { try registry.resolve("adlut@staging") }
    #expect(error.message.contains("adlut") && error.message.contains("adult, credit"))
    #expect(error.hint?.contains("kiln models list") == true)
  }

  @Test func aMissingStageSaysWhichStagesTheModelHas() throws {
    let registry = try Registry()
    for text in ["credit", "credit@staging", "credit@champion"] {
      let error = try #require(throws: ModelReferenceError.self, "\(text)") { try registry.resolve(text) }
      #expect(error.message.contains("v1 none"), "\(error)")
    }
    let staging = try #require(throws: ModelReferenceError.self) { try registry.resolve("credit@staging") }
    #expect(staging.message.contains("no version in staging"))
  }

  @Test func anUnknownVersionNumberListsTheVersions() throws {
    let registry = try Registry()
    let error = try #require(throws: ModelReferenceError.self) { try registry.resolve("adult:9") }
    #expect(error.message.contains("no version 9"))
    #expect(error.message.contains("v1 archived, v2 production, v3 staging, v4 staging, v5 none"), "\(error)")
  }
}
