@testable import KilnMetrics
import Testing

@Suite struct RegressionMetricsTests {
  // scikit-learn 1.9.1: mean_squared_error, mean_absolute_error, r2_score.
  let targets = [3.0, -0.5, 2.0, 7.0, 4.2, 1.1, 0.0, 5.5]
  let predictions = [2.5, 0.0, 2.1, 7.8, 3.9, 1.0, -0.4, 6.0]

  @Test func errorsAndRSquaredMatchScikitLearn() {
    #expect(abs(RegressionMetrics.meanSquaredError(targets: targets, predictions: predictions) - 0.2075) < 1e-12)
    #expect(abs(RegressionMetrics.meanAbsoluteError(targets: targets, predictions: predictions) - 0.4) < 1e-12)
    #expect(abs(RegressionMetrics.rSquared(targets: targets, predictions: predictions) - 0.9662524459353002) < 1e-12)
  }

  @Test func rSquaredOfConstantTargetsIsOneOnlyWhenExact() {
    #expect(RegressionMetrics.rSquared(targets: [2, 2], predictions: [2, 2]) == 1)
    #expect(RegressionMetrics.rSquared(targets: [2, 2], predictions: [2, 3]) == 0)
  }
}
