import Foundation
import Testing
import KilnTracking
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline

@Suite struct ModelReferenceCLITests {
  @Test func predictScoresWithTheStagedVersionAPipelineRegistered() throws {
    let project = try PipelineProject()
    let pipeline = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    #expect(pipeline.status == 0, "\(pipeline.stderr)")
    #expect(pipeline.stdout.contains("toy-model v1"))

    let scored = try runKiln(["predict", "--model", "toy-model@staging", "--input", "datasets/toy/test.csv", "--output", "scores.csv"],
                             in: project.root)
    #expect(scored.status == 0, "\(scored.stderr)")
    #expect(scored.stderr.contains("toy-model v1 (staging)"), "\(scored.stderr)")
    #expect(scored.stdout.contains("scored 200 of 200 rows with toy-model"), "\(scored.stdout)")
    let scores = try String(contentsOf: project.root.appendingPathComponent("scores.csv"), encoding: .utf8).split(separator: "\n")
    #expect(scores.count == 201)

    let production = try runKiln(["predict", "--model", "toy-model", "--input", "datasets/toy/test.csv", "--output", "other.csv"],
                                 in: project.root)
    #expect(production.status == 1)
    #expect(production.stderr.contains("toy-model has no version in production (versions: v1 staging)"), "\(production.stderr)")
    let unknown = try runKiln(["predict", "--model", "toy@staging", "--input", "datasets/toy/test.csv", "--output", "other.csv"],
                              in: project.root)
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("registered: toy-model") && unknown.stderr.contains("kiln models list"), "\(unknown.stderr)")
  }

  @Test func scoringRunsAreTaggedWithTheRegisteredVersionAndTheStageItWasChosenBy() throws {
    let project = try PipelineProject()
    let pipeline = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    try #require(pipeline.status == 0, "\(pipeline.stderr)")
    let runLine = try #require(pipeline.stdout.split(separator: "\n").first { $0.hasPrefix("train ") && $0.contains(" run ") })
    let trainedRun = String(try #require(runLine.split(separator: " ").last))
    for (index, selection) in [["--model", "toy-model@staging"], ["--model", "toy-model:1"], ["--run", trainedRun]].enumerated() {
      let scored = try runKiln(["predict"] + selection + ["--input", "datasets/toy/test.csv", "--output", "scores\(index).csv"],
                               in: project.root)
      #expect(scored.status == 0, "\(scored.stderr)")
    }
    func listed(_ filter: String) throws -> [[String: Any]] {
      let result = try runKiln(["runs", "list", "--where", filter, "--json"], in: project.root)
      #expect(result.status == 0, "\(result.stderr)")
      return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }
    #expect(try listed("tags.registered_model = 'toy-model' and tags.model_version = '1'").count == 3)
    #expect(try listed("tags.model_stage = 'staging'").count == 1)
    #expect(try listed("tags.model_run = '\(trainedRun)' and tags.kind = 'scoring'").count == 3)
    #expect(try listed("tags.model_version = '2'").isEmpty)

    let layout = ProjectLayout(root: project.root)
    let scoringRuns = try MonitoredModel.scoringRuns(model: "toy-model", version: 1, layout: layout)
    #expect(scoringRuns.count == 3)
    #expect(try MonitoredModel.scoringRuns(model: "toy-model", version: 2, layout: layout).isEmpty)
    let store = try SQLiteTrackingStore(databaseFile: project.root.appendingPathComponent(".kiln/kiln.sqlite"))
    let stagedTags = try scoringRuns.map { try store.tags(runID: $0.id) }.first { $0["model_stage"] != nil }
    #expect(stagedTags?["model_stage"] == "staging" && stagedTags?["model_run"] == trainedRun)
  }

  @Test func runAndModelAreMutuallyExclusiveAndOneIsRequired() throws {
    let both = try runKiln(["predict", "--run", "abc", "--model", "toy-model", "--input", "a.csv", "--output", "b.csv"])
    #expect(both.status != 0 && both.stderr.contains("either --run or --model"), "\(both.stderr)")
    let neither = try runKiln(["monitor", "--labelled", "a.csv"])
    #expect(neither.status != 0 && neither.stderr.contains("--model NAME"), "\(neither.stderr)")
    let malformed = try runKiln(["drift", "--model", "toy-model@prod", "--current", "a.csv"])
    #expect(malformed.status != 0 && malformed.stderr.contains("NAME:VERSION"), "\(malformed.stderr)")
    let half = try runKiln(["compare-models", "--model", "toy-model", "--input", "a.csv"])
    #expect(half.status != 0 && half.stderr.contains("--model REF --model REF"), "\(half.stderr)")
  }
}
