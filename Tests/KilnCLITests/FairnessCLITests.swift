import Foundation
import Testing

/// End-to-end runs of `kiln fairness` on CSV files written to a temporary directory.
@Suite struct FairnessCLITests {
  /// A temporary directory holding `name` with `contents`.
  func writeCSV(_ contents: String, name: String = "predictions.csv") throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-fairness-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try contents.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  /// fairlearn's reference case 03 (two attributes) as a CSV, and its expected values.
  func referenceCSV() throws -> (url: URL, expected: [String: Any]) {
    let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/fairlearn/03_intersectional.json")
    let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: reference)) as? [String: Any])
    let inputs = try #require(root["inputs"] as? [String: Any])
    let labels = try #require(inputs["y_true"] as? [Int]), predictions = try #require(inputs["y_pred"] as? [Int])
    let sensitive = try #require(inputs["sensitive"] as? [String: [String]])
    var lines = ["label,predicted,sex,race"]
    for row in labels.indices {
      lines.append("\(labels[row]),\(predictions[row]),\(sensitive["sex"]![row]),\"\(sensitive["race"]![row])\"")
    }
    return (try writeCSV(lines.joined(separator: "\n") + "\n"), try #require(root["expected"] as? [String: Any]))
  }

  @Test func jsonReportMatchesFairlearnForEachAttributeAndTheIntersection() throws {
    let (url, expected) = try referenceCSV()
    let result = try runKiln(["fairness", url.path, "--label", "label", "--prediction", "predicted",
                              "--sensitive", "sex,race", "--intersections", "--resamples", "100", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let sections = try #require(report["sections"] as? [[String: Any]])
    #expect(sections.compactMap { $0["name"] as? String } == ["sex", "race", "sex&race"])
    let expectedSections = try #require(expected["sections"] as? [String: [String: Any]])
    for section in sections {
      let name = try #require(section["name"] as? String)
      let measures = try #require(section["measures"] as? [String: [String: [String: Any]]])
      let fairness = try #require(expectedSections[name]?["fairness"] as? [String: [String: Double]])
      for (measure, methods) in fairness {
        for (method, value) in methods {
          let actual = try #require(measures[measure]?[method]?["value"] as? Double)
          #expect(abs(actual - value) <= 1e-9, "\(name).\(measure).\(method)")
          #expect(measures[measure]?[method]?["interval"] != nil)
        }
      }
    }
  }

  @Test func scoreColumnAddsROCAUCPerGroupMatchingFairlearn() throws {
    let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/fairlearn/10_five_groups_scores.json")
    let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: reference)) as? [String: Any])
    let inputs = try #require(root["inputs"] as? [String: Any])
    let labels = try #require(inputs["y_true"] as? [Int]), predictions = try #require(inputs["y_pred"] as? [Int])
    let scores = try #require(inputs["y_score"] as? [Double])
    let groups = try #require((inputs["sensitive"] as? [String: [String]])?["group"])
    var lines = ["y,p,score,group"]
    for row in labels.indices { lines.append("\(labels[row]),\(predictions[row]),\(scores[row]),\(groups[row])") }
    let url = try writeCSV(lines.joined(separator: "\n"))
    let result = try runKiln(["fairness", url.path, "--label", "y", "--prediction", "p", "--score", "score",
                              "--sensitive", "group", "--resamples", "50", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let section = try #require((report["sections"] as? [[String: Any]])?.first)
    let reported = try #require(section["groups"] as? [[String: Any]])
    let expected = try #require(((root["expected"] as? [String: Any])?["sections"] as? [String: [String: Any]])?["group"])
    let expectedAUC = try #require((expected["by_group"] as? [String: [Double]])?["roc_auc"])
    #expect(reported.count == expectedAUC.count)
    for (group, value) in zip(reported, expectedAUC) {
      let metrics = try #require(group["metrics"] as? [String: [String: Any]])
      let auc = try #require(metrics["roc_auc"]?["value"] as? Double)
      #expect(abs(auc - value) <= 1e-9)
      #expect(metrics["roc_auc"]?["interval"] != nil)
    }
  }

  @Test func textReportShowsGroupsMeasuresAndTheFourFifthsRule() throws {
    let (url, _) = try referenceCSV()
    let result = try runKiln(["fairness", url.path, "--label", "label", "--prediction", "predicted",
                              "--sensitive", "sex", "--min-group-size", "250", "--resamples", "0"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("== sex"))
    #expect(result.stdout.contains("demographic_parity_difference"))
    #expect(result.stdout.contains("four-fifths rule"))
    #expect(result.stdout.contains("insufficient data: F has 199 rows"))
  }

  @Test func missingColumnIsNamedWithTheColumnsThatExist() throws {
    let url = try writeCSV("y,p,sex\n1,1,F\n0,1,M\n")
    let result = try runKiln(["fairness", url.path, "--label", "label", "--prediction", "p", "--sensitive", "sex"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("column \"label\""))
    #expect(result.stderr.contains("columns are: y, p, sex"))
  }

  @Test func labelOutsideZeroOrOneNamesColumnAndLine() throws {
    let url = try writeCSV("y,p,sex\n1,1,F\n2,0,M\n")
    let result = try runKiln(["fairness", url.path, "--label", "y", "--prediction", "p", "--sensitive", "sex"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("predictions.csv:3 column \"y\""))
    #expect(result.stderr.contains("label \"2\" is not 0 or 1"))
  }

  @Test func scoreOutsideTheUnitIntervalNamesColumnAndLine() throws {
    let url = try writeCSV("y,p,s,sex\n1,1,0.9,F\n0,0,0.2,M\n0,1,1.5,M\n")
    let result = try runKiln(["fairness", url.path, "--label", "y", "--prediction", "p", "--score", "s", "--sensitive", "sex"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("predictions.csv:4 column \"s\""))
    #expect(result.stderr.contains("not a number in [0, 1]"))
  }

  @Test func rowWithTooFewFieldsNamesTheLine() throws {
    let url = try writeCSV("y,p,sex\n1,1,F\n0,1\n")
    let result = try runKiln(["fairness", url.path, "--label", "y", "--prediction", "p", "--sensitive", "sex"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("predictions.csv:3"))
    #expect(result.stderr.contains("expected 3 fields, found 2"))
  }

  @Test func emptySensitiveListIsRefused() throws {
    let url = try writeCSV("y,p,sex\n1,1,F\n0,1,M\n")
    let result = try runKiln(["fairness", url.path, "--label", "y", "--prediction", "p", "--sensitive", ","])
    #expect(result.status != 0)
    #expect(result.stderr.contains("the list of sensitive columns is empty"))
  }
}
