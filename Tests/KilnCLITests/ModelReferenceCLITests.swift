import Foundation
import Testing

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
