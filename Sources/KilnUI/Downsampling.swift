/// Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013, "Downsampling Time Series for
/// Visual Representation", MSc thesis, University of Iceland): keeps the first and last points and,
/// from each of `threshold − 2` equal buckets between them, the point that makes the largest
/// triangle with the point kept before it and the mean of the next bucket — so peaks and dips of
/// a learning curve survive where taking every k-th point would drop them.
enum Downsampling {
  /// At most `threshold` of `points` (x ascending); all of them when there are no more than that.
  static func largestTriangleThreeBuckets(_ points: [(x: Double, y: Double)], threshold: Int) -> [(x: Double, y: Double)] {
    guard threshold >= 3, points.count > threshold else { return points }
    var sampled = [points[0]]
    sampled.reserveCapacity(threshold)
    let bucketSize = Double(points.count - 2) / Double(threshold - 2)
    var kept = 0
    for bucket in 0..<(threshold - 2) {
      let start = Int(Double(bucket) * bucketSize) + 1
      let end = min(Int(Double(bucket + 1) * bucketSize) + 1, points.count - 1)
      // The mean of the next bucket (the last point for the last bucket).
      let nextStart = end, nextEnd = min(Int(Double(bucket + 2) * bucketSize) + 1, points.count)
      var meanX = 0.0, meanY = 0.0
      for index in nextStart..<max(nextEnd, nextStart + 1) {
        meanX += points[index].x
        meanY += points[index].y
      }
      let count = Double(max(nextEnd - nextStart, 1))
      meanX /= count
      meanY /= count
      var bestArea = -1.0, best = start
      for index in start..<max(end, start + 1) {
        let area = abs((points[kept].x - meanX) * (points[index].y - points[kept].y)
                       - (points[kept].x - points[index].x) * (meanY - points[kept].y))
        if area > bestArea {
          bestArea = area
          best = index
        }
      }
      sampled.append(points[best])
      kept = best
    }
    sampled.append(points[points.count - 1])
    return sampled
  }
}
