import Foundation
import KilnSweep

/// Standard test functions for global optimisation (Surjanovic & Bingham, "Virtual Library of
/// Simulation Experiments", https://www.sfu.ca/~ssurjano/), each read from a trial.
enum TestFunction: String, CaseIterable {
  case branin
  case hartmann6
  case rosenbrock5

  /// Branin on [−5, 10] × [0, 15]; minimum 0.397887.
  static func branin(_ trial: Trial) -> Double {
    let x1 = trial.suggestFloat("x0", in: -5...10)
    let x2 = trial.suggestFloat("x1", in: 0...15)
    let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
    let square = x2 - b * x1 * x1 + c * x1 - 6
    return square * square + 10 * (1 - t) * cos(x1) + 10
  }

  static let hartmannAlpha = [1.0, 1.2, 3.0, 3.2]
  static let hartmannA: [[Double]] = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                                      [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
  static let hartmannP: [[Double]] = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                                      [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]

  /// Hartmann-6 on [0, 1]⁶; minimum −3.32237.
  static func hartmann6(_ trial: Trial) -> Double {
    let x = (0..<6).map { trial.suggestFloat("x\($0)", in: 0...1) }
    var total = 0.0
    for i in 0..<4 {
      var inner = 0.0
      for j in 0..<6 {
        let difference = x[j] - 1e-4 * hartmannP[i][j]
        inner += hartmannA[i][j] * difference * difference
      }
      total += hartmannAlpha[i] * exp(-inner)
    }
    return -total
  }

  /// Rosenbrock in five dimensions on [−2.048, 2.048]⁵; minimum 0 at (1, …, 1).
  static func rosenbrock5(_ trial: Trial) -> Double {
    let x = (0..<5).map { trial.suggestFloat("x\($0)", in: -2.048...2.048) }
    var total = 0.0
    for j in 0..<4 {
      let valley = x[j + 1] - x[j] * x[j]
      total += 100 * valley * valley + (1 - x[j]) * (1 - x[j])
    }
    return total
  }

  func evaluate(_ trial: Trial) -> Double {
    switch self {
    case .branin: return TestFunction.branin(trial)
    case .hartmann6: return TestFunction.hartmann6(trial)
    case .rosenbrock5: return TestFunction.rosenbrock5(trial)
    }
  }
}
