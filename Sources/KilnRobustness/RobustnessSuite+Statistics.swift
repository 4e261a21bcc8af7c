import KilnRandom

extension RobustnessSuite {
  /// The measure in every group of every attribute, in attribute order and code order (missing last).
  func groupValues(_ values: [Double], weights: [Double]) -> [(attribute: String, group: String, count: Int, value: Double)] {
    var result: [(attribute: String, group: String, count: Int, value: Double)] = []
    for assignment in groups {
      var rowsByCode: [Int32: [Int]] = [:]
      for (row, code) in assignment.codes.enumerated() { rowsByCode[code < 0 ? -1 : code, default: []].append(row) }
      var codes = assignment.categories.indices.map(Int32.init)
      if rowsByCode[-1] != nil { codes.append(-1) }
      for code in codes {
        let rows = rowsByCode[code] ?? []
        result.append((assignment.name, assignment.label(of: code), rows.count, measure.aggregate(values, weights: weights, rows: rows)))
      }
    }
    return result
  }

  /// The codes with at least one row, with their labels, in code order (missing last).
  static func presentCodes(_ assignment: GroupAssignment) -> [(Int32, String)] {
    let present = Set(assignment.codes.map { $0 < 0 ? Int32(-1) : $0 })
    return (assignment.categories.indices.map(Int32.init) + [-1]).filter(present.contains).map { ($0, assignment.label(of: $0)) }
  }

  /// Importance weights that move the mix of groups π towards group `target`:
  /// π′ = (1 − s)·π + s·δ_target, wᵢ = π′(gᵢ) / π(gᵢ). The re-weighted accuracy is the accuracy the
  /// model would have on a test set with the shifted mix and the same within-group behaviour.
  static func shiftWeights(codes: [Int32], towards target: Int32, strength: Double) -> [Double] {
    precondition(strength >= 0 && strength <= 1, "subgroup shift: strength \(strength) is outside [0, 1]")
    let normalized = codes.map { $0 < 0 ? Int32(-1) : $0 }
    var counts: [Int32: Int] = [:]
    for code in normalized { counts[code, default: 0] += 1 }
    let total = Double(codes.count)
    return normalized.map { code in
      let share = Double(counts[code]!) / total
      let shifted = (1 - strength) * share + (code == target ? strength : 0)
      return shifted / share
    }
  }

  /// ART's `empirical_robustness` for an L∞ attack: the mean over rows whose predicted label
  /// changed of ‖x′ − x‖∞ / ‖x‖∞, and 0 when no prediction changed
  /// (art.metrics.empirical_robustness; Moosavi-Dezfooli et al., arXiv:1511.04599). ART runs its
  /// attack in "minimal" mode (the smallest ε that succeeds); here the attack runs at the
  /// configured ε, so the value is an upper bound on ART's for the same model.
  static func empiricalRobustness(clean: [Float], adversarial: [Float], width: Int, changedRows: [Int]) -> Double {
    guard !changedRows.isEmpty else { return 0 }
    var sum = 0.0
    for row in changedRows {
      var perturbation: Float = 0, magnitude: Float = 0
      for column in 0..<width {
        let index = row * width + column
        perturbation = max(perturbation, abs(adversarial[index] - clean[index]))
        magnitude = max(magnitude, abs(clean[index]))
      }
      sum += Double(perturbation) / Double(magnitude)
    }
    return sum / Double(changedRows.count)
  }
}
