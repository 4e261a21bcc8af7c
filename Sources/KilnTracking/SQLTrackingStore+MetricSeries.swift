import KilnSQL

extension SQLTrackingStore {
  /// Finds the series' first and last step after `afterStep` (two index lookups), then reads
  /// its points when that span holds at most `2 × buckets` steps, else reduces them by bucket:
  /// bucket b holds the steps s with ⌊(s − first) · buckets / (last − first + 1)⌋ = b and gives
  /// its first and last step, its minimum and maximum, and whether it rises (the minimum comes
  /// first) or falls. PostgreSQL groups the rows itself and tells a rise by the sign of the
  /// covariance of step and value; SQLite, which would sort every row to group them, hands them
  /// over in step order and the buckets are closed as the scan passes them, a rise being a
  /// minimum that comes before the maximum.
  public func metricSeries(runID: String, key: String, afterStep: Int64?, buckets: Int) throws -> MetricSeries {
    precondition(buckets > 0, "metricSeries: buckets must be positive, got \(buckets)")
    let after = afterStep ?? Int64.min
    return try read { db in
      let range = "FROM metric WHERE run_id = ? AND key = ? AND step > ?"
      let arguments: SQLArguments = [runID, key, after]
      // One aggregate a query: both databases answer a lone MIN or MAX from the index.
      guard let first = try db.fetchValue(Int64.self, sql: "SELECT MIN(step) \(range)", arguments: arguments),
            let last = try db.fetchValue(Int64.self, sql: "SELECT MAX(step) \(range)", arguments: arguments) else {
        return MetricSeries(key: key, count: 0, samples: [], isReduced: false)
      }
      var samples: [MetricSeries.Sample] = []
      guard last - first + 1 > Int64(2 * buckets) else {
        try db.forEachRow(sql: "SELECT step, value \(range) ORDER BY step, timestamp", arguments: arguments) { row in
          samples.append(MetricSeries.Sample(step: try row[0], value: try row[1]))
        }
        return MetricSeries(key: key, count: samples.count, samples: samples, isReduced: false)
      }
      samples.reserveCapacity(2 * buckets)
      func append(start: Int64, end: Int64, minimum: Double, maximum: Double, rising: Bool) {
        guard start != end || minimum != maximum else {
          samples.append(MetricSeries.Sample(step: start, value: minimum))
          return
        }
        samples.append(MetricSeries.Sample(step: start, value: rising ? minimum : maximum))
        samples.append(MetricSeries.Sample(step: end, value: rising ? maximum : minimum))
      }
      let (width, span) = (Int64(buckets), last - first + 1)
      var count = 0
      switch db.dialect {
      case .sqlite:
        var current = Bucket(index: -1)
        func close() {
          if current.index >= 0 { append(start: current.start, end: current.end, minimum: current.minimum, maximum: current.maximum, rising: current.rising) }
        }
        try db.forEachRow(sql: "SELECT step, value \(range) ORDER BY step, timestamp", arguments: arguments) { row in
          let (step, value): (Int64, Double) = (try row[0], try row[1])
          count += 1
          let index = (step - first) * width / span
          if index != current.index {
            close()
            current = Bucket(index: index, step: step, value: value)
          } else {
            current.add(step: step, value: value)
          }
        }
        close()
      case .postgreSQL:
        let sql = """
          SELECT (step - ?) * ? / ?, MIN(step), MAX(step), MIN(value), MAX(value),
                 AVG(CAST(step - ? AS DOUBLE PRECISION) * value) - AVG(CAST(step - ? AS DOUBLE PRECISION)) * AVG(value), COUNT(*)
          \(range) GROUP BY 1 ORDER BY 1
          """
        try db.forEachRow(sql: sql, arguments: [first, width, span, first, first] + arguments) { row in
          let covariance: Double? = try row[5]
          count += try row[6] as Int
          append(start: try row[1], end: try row[2], minimum: try row[3], maximum: try row[4], rising: (covariance ?? 0) >= 0)
        }
      }
      return MetricSeries(key: key, count: count, samples: samples, isReduced: samples.count < count)
    }
  }
}

/// One bucket of a series being scanned in step order.
private struct Bucket {
  var index: Int64
  var start: Int64 = 0, end: Int64 = 0
  var minimum = 0.0, maximum = 0.0
  var minimumStep: Int64 = 0, maximumStep: Int64 = 0

  init(index: Int64) { self.index = index }

  init(index: Int64, step: Int64, value: Double) {
    self.index = index
    (start, end, minimum, maximum, minimumStep, maximumStep) = (step, step, value, value, step, step)
  }

  mutating func add(step: Int64, value: Double) {
    end = step
    if value < minimum { (minimum, minimumStep) = (value, step) }
    if value > maximum { (maximum, maximumStep) = (value, step) }
  }

  var rising: Bool { minimumStep <= maximumStep }
}
