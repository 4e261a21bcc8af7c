import KilnSQL

/// Reads for a page of runs: one query per table for all of the page's runs, not one per run.
extension SQLTrackingStore {
  public func parameters(runIDs: [String]) throws -> [String: [String: String]] {
    var result: [String: [String: String]] = [:]
    try forEachRow(of: "SELECT run_id, key, value FROM param", runIDs: runIDs) { row in
      result[try row[0], default: [:]][try row[1]] = try row[2] as String
    }
    return result
  }

  public func datasetInputs(runIDs: [String]) throws -> [String: [DatasetReference]] {
    var result: [String: [DatasetReference]] = [:]
    try forEachRow(of: "SELECT run_id, name, version, fingerprint, split FROM dataset_input", runIDs: runIDs,
                   orderedBy: "run_id, name, split") { row in
      result[try row[0], default: []].append(try DatasetReference(name: row[1], version: row[2], fingerprint: row[3], split: row[4]))
    }
    return result
  }

  /// Runs `select` for the runs of `runIDs`, 500 at a time.
  private func forEachRow(of select: String, runIDs: [String], orderedBy order: String? = nil, _ body: (SQLRow) throws -> Void) throws {
    try read { db in
      var start = 0
      while start < runIDs.count {
        let chunk = Array(runIDs[start..<min(start + 500, runIDs.count)])
        start += chunk.count
        let sql = select + " WHERE run_id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))" + (order.map { " ORDER BY " + $0 } ?? "")
        try db.forEachRow(sql: sql, arguments: chunk.map { $0 }, body)
      }
    }
  }
}
