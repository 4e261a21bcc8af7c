import Foundation
import Testing

/// A data-parallel run's resource use, gathered over real Open MPI ranks and shown by
/// `kiln runs show` as text and JSON.
@Suite struct ResourceUsageCLITests {
  @Test func aTwoRankRunRecordsBothRanksAndRunsShowPrintsThem() throws {
    let root = try DistributedTrainCLITests.makeProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let trained = try runKiln(["train", "experiments/wide.yaml", "--quiet", "--nproc", "2"], in: root)
    try #require(trained.status == 0, "\(trained.stderr)")
    let line = try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") })
    let runID = String(line.dropFirst(4).prefix { $0 != ":" })

    let shown = try runKiln(["runs", "show", runID, "--json"], in: root)
    try #require(shown.status == 0, "\(shown.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    let resources = try #require(report["resources"] as? [String: Any])
    #expect(resources.keys.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } }, "\(resources.keys)")
    func number(_ key: String) throws -> Double { try #require(resources[key] as? Double, "\(key): \(resources[key] ?? "none")") }
    #expect(try number("ranks") == 2)
    #expect(resources["trials"] is NSNull)
    #expect(try number("cpu_seconds") > 0 && number("wall_seconds") > 0)
    // Two processes, each well over 8 MiB resident: the sum holds both, the largest one.
    let largest = try number("peak_rss_bytes"), sum = try number("peak_rss_bytes_sum")
    #expect(largest > 8 * 1_048_576 && sum > largest && sum <= 2 * largest)
    // One epoch of the training split (70% of 1,280 rows); the ranks would drop an uneven last row.
    let samples = try number("samples")
    #expect(samples >= 895 && samples <= 896, "\(samples)")
    #expect(abs(try number("train_samples_per_second") * number("train_seconds") - samples) <= 1e-6 * samples)
    #expect(abs(try number("samples_per_second") * number("wall_seconds") - samples) <= 1e-6 * samples)
    // The same values are the run's `system.*` metrics, which listings and gates can name.
    let metrics = try #require(report["metrics"] as? [String: [String: Any]])
    #expect(metrics["system.cpu_seconds"]?["final"] as? Double == (try number("cpu_seconds")))
    #expect(metrics["system.cpu_seconds"]?["best"] is NSNull, "no direction, so no best")

    let text = try runKiln(["runs", "show", runID], in: root)
    try #require(text.status == 0, "\(text.stderr)")
    let section = try #require(text.stdout.components(separatedBy: "\nresources\n").dropFirst().first)
    #expect(section.contains("CPU time") && section.contains("over 2 ranks"), "\(section)")
    #expect(section.contains("largest rank") && section.contains("MiB"), "\(section)")
    #expect(section.contains("samples/s training"), "\(section)")
  }
}
