/// A small dense linear program of the shape the reductions solve:
///
///     minimise c·x  subject to  Aᵢ·x ≤ 0 (each inequality i),  e·x = 1,  x ≥ 0,
///
/// solved by the two-phase tableau simplex method with Bland's rule (no cycling on degenerate
/// vertices; Bland 1977). The multipliers of the inequalities, λᵢ = −∂(optimum)/∂bᵢ ≥ 0, are read
/// from the slack columns' reduced costs. Sizes are a few dozen hypotheses by a few constraints.
struct LinearProgram {
  var costs: [Double]
  var inequalities: [[Double]]
  var equality: [Double]

  static let tolerance = 1e-12

  /// The optimal x and the inequalities' multipliers, or nil when the program is infeasible or
  /// unbounded (the reductions' programs are neither: any single hypothesis with z large is feasible).
  func solved() -> (primal: [Double], inequalityDuals: [Double])? {
    let variables = costs.count, rows = inequalities.count + 1
    let slack = variables, artificial = variables + rows - 1, columns = artificial + 1
    // Rows: the inequalities with their slacks, then the equality with an artificial variable.
    var tableau = inequalities.enumerated().map { row, coefficients -> [Double] in
      var line = coefficients + [Double](repeating: 0, count: columns - variables + 1)
      line[slack + row] = 1
      return line
    }
    tableau.append(equality + [Double](repeating: 0, count: columns - variables - 1) + [1, 1])
    var basis = (0..<rows - 1).map { slack + $0 } + [artificial]

    // Phase 1: minimise the artificial variable.
    var phaseOne = [Double](repeating: 0, count: columns + 1)
    phaseOne[artificial] = 1
    guard Self.optimise(&tableau, basis: &basis, costs: phaseOne, allowed: columns) != nil else { return nil }
    if let row = basis.firstIndex(of: artificial) {
      guard tableau[row][columns] <= 1e-9 else { return nil }
      guard let column = (0..<artificial).first(where: { abs(tableau[row][$0]) > Self.tolerance }) else { return nil }
      Self.pivot(&tableau, basis: &basis, row: row, column: column)
    }
    // Phase 2: the real costs, the artificial column excluded.
    var phaseTwo = costs + [Double](repeating: 0, count: columns - variables + 1)
    phaseTwo[artificial] = 0
    guard let reduced = Self.optimise(&tableau, basis: &basis, costs: phaseTwo, allowed: artificial) else { return nil }
    var primal = [Double](repeating: 0, count: variables)
    for (row, column) in basis.enumerated() where column < variables { primal[column] = tableau[row][columns] }
    let duals = (0..<rows - 1).map { max(reduced[slack + $0], 0) }
    return (primal, duals)
  }

  /// Runs simplex pivots for `costs` over the first `allowed` columns; returns the final reduced
  /// costs, or nil when unbounded.
  private static func optimise(_ tableau: inout [[Double]], basis: inout [Int], costs: [Double], allowed: Int) -> [Double]? {
    let width = tableau[0].count
    for _ in 0..<10_000 {
      var reduced = costs
      for (row, column) in basis.enumerated() where costs[column] != 0 {
        let factor = costs[column]
        for index in 0..<width { reduced[index] -= factor * tableau[row][index] }
      }
      guard let entering = (0..<allowed).first(where: { reduced[$0] < -tolerance && !basis.contains($0) }) else { return reduced }
      var leaving: Int?
      var bestRatio = Double.infinity
      for row in tableau.indices where tableau[row][entering] > tolerance {
        let ratio = tableau[row][width - 1] / tableau[row][entering]
        if ratio < bestRatio - tolerance || (abs(ratio - bestRatio) <= tolerance && basis[row] < basis[leaving ?? row]) {
          bestRatio = ratio
          leaving = row
        }
      }
      guard let leaving else { return nil }
      pivot(&tableau, basis: &basis, row: leaving, column: entering)
    }
    return nil
  }

  private static func pivot(_ tableau: inout [[Double]], basis: inout [Int], row: Int, column: Int) {
    let pivot = tableau[row][column]
    tableau[row] = tableau[row].map { $0 / pivot }
    for other in tableau.indices where other != row && tableau[other][column] != 0 {
      let factor = tableau[other][column]
      for index in tableau[other].indices { tableau[other][index] -= factor * tableau[row][index] }
    }
    basis[row] = column
  }
}
