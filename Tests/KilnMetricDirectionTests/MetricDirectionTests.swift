import KilnMetricDirection
import Testing

@Suite struct MetricDirectionTests {
  @Test func errorsLossesRatesOfErrorDisparitiesAndDropsAreMinimized() {
    for name in ["loss", "validation.loss", "test.log_loss", "test.rmse", "test.mae", "test.mse", "test.brier_score",
                 "test.max_error", "test.median_absolute_error", "test.calibration_error", "test.expected_calibration_error",
                 "test.maximum_calibration_error", "test.false_positive_rate", "test.false_negative_rate",
                 "fairness.sex.groups.Male.false_positive_rate", "fairness.sex.demographic_parity_difference",
                 "fairness.sex.equalized_odds_difference", "fairness.sex.equal_opportunity_difference",
                 "fairness.sex.demographic_parity_difference.to_overall", "fairness.sex.difference.accuracy",
                 "fairness.sex.mae_difference", "fairness.sex.equalized_odds_difference_mean",
                 "robustness.gaussian_noise_0.1.accuracy_drop", "robustness.gaussian_noise_0.1.rmse_increase",
                 "robustness.fgsm.prediction_flip_rate", "test.contrastive_loss", "test.reconstruction_error",
                 "validation.fairness.sex.equalized_odds_difference", "validation.fairness.sex&race.demographic_parity_difference"] {
      #expect(MetricDirection(forMetric: name) == .minimize, "\(name)")
    }
  }

  @Test func scoresAgreementAndDisparityRatiosAreMaximized() {
    for name in ["accuracy", "validation.accuracy", "test.balanced_accuracy", "test.precision", "test.recall", "test.f1",
                 "validation.macro_f1", "test.weighted_f1", "validation.roc_auc", "test.roc_auc_ovr", "test.average_precision",
                 "test.pr_auc", "test.r2", "validation.r2", "test.specificity", "test.true_positive_rate",
                 "fairness.sex.demographic_parity_ratio", "fairness.sex.equalized_odds_ratio", "fairness.sex.mae_ratio",
                 "fairness.sex.ratio.accuracy", "fairness.sex.groups.Female.accuracy", "robustness.fgsm.empirical_robustness",
                 "validation.fairness.sex.demographic_parity_ratio"] {
      #expect(MetricDirection(forMetric: name) == .maximize, "\(name)")
    }
  }

  @Test func aNameOutsideTheTableHasNoDirectionAndSaysWhatToWrite() {
    for name in ["custom.score", "fairness.sex.groups.Male.selection_rate", "test.mean_prediction", "", "test.*"] {
      #expect(MetricDirection(forMetric: name) == nil, "\(name)")
    }
    let message = UnknownMetricDirection(metric: "custom.score").description
    #expect(message.contains("`custom.score`") && message.contains("direction: maximize") && message.contains("direction: minimize"))
  }

  @Test func comparisonsFollowTheDirection() {
    #expect(MetricDirection.maximize.isBetter(0.9, than: 0.8) && !MetricDirection.maximize.isBetter(0.8, than: 0.8))
    #expect(MetricDirection.minimize.isBetter(0.1, than: 0.2))
    #expect(MetricDirection.maximize.lossOriented(0.9) == -0.9 && MetricDirection.minimize.lossOriented(0.9) == 0.9)
    #expect(MetricDirection.maximize.worsening(from: 0.9, to: 0.8) > 0 && MetricDirection.minimize.worsening(from: 0.9, to: 0.8) < 0)
  }
}
