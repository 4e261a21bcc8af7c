import Testing
@testable import KilnUI

@Suite struct DownsamplingTests {
  @Test func largestTriangleThreeBucketsKeepsEndsAndPeaks() {
    var points = (0..<10_000).map { (x: Double($0), y: 0.0) }
    points[5_000].y = 100
    points[7_500].y = -50
    let sampled = Downsampling.largestTriangleThreeBuckets(points, threshold: 100)
    #expect(sampled.count == 100)
    #expect(sampled.first?.x == 0 && sampled.last?.x == 9_999)
    #expect(sampled.contains { $0.y == 100 } && sampled.contains { $0.y == -50 })
    #expect(zip(sampled, sampled.dropFirst()).allSatisfy { $0.x < $1.x })
  }

  @Test func shortSeriesAreKeptWhole() {
    let points = (0..<50).map { (x: Double($0), y: Double($0 * $0)) }
    #expect(Downsampling.largestTriangleThreeBuckets(points, threshold: 2_000).map(\.y) == points.map(\.y))
  }
}
