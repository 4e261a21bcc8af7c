"""fairlearn reference for Benchmarks/KilnMetricsBenchmarks (needs fairlearn, scikit-learn, pandas).

Builds the same rows as the Swift benchmark (a SplitMix64 hash of a row counter), times fairlearn's
MetricFrame computing the same fields, and prints one JSON object per line:
  {"name", "reference", "units", "values"}
Feed the output to the Swift benchmark with `--reference FILE` to get ratios and a value check.

  python fairness_fairlearn.py [--rows 1000000] [--bootstrap-rows 100000] [--bootstrap-resamples 20]

fairlearn's bootstrap (MetricFrame n_boot) re-runs the whole pipeline per resample, so it is timed
on fewer resamples and scaled linearly to 1,000 ("extrapolated_from" says how many were run).
"""
import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
import sklearn.metrics as skm
from fairlearn.metrics import (
    MetricFrame,
    count,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)

MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def mix(counter):
    """SplitMix64 finaliser of uint64 counters (wrapping arithmetic)."""
    z = counter + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def uniform(counter):
    return (mix(counter) >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def rows(n):
    """The Swift benchmark's rows: sex (2 groups), race (5 groups), labels, scores, predictions."""
    i = np.arange(n, dtype=np.uint64) * np.uint64(4)
    female = uniform(i) < 0.45
    race_index = ((mix(i + np.uint64(1)) >> np.uint64(32)) % np.uint64(5)).astype(np.int64)
    label = (uniform(i + np.uint64(2)) < 0.3 + 0.05 * race_index).astype(np.int64)
    score = 0.3 * label + 0.55 * uniform(i + np.uint64(3)) + 0.1 - np.where(female, 0.05, 0.0)
    score = np.clip(score, 0.0, 1.0)
    prediction = (score >= 0.5).astype(np.int64)
    sex = np.where(female, "Female", "Male")
    race = np.array(["a", "b", "c", "d", "e"])[race_index]
    return label, prediction, score, pd.Series(sex, name="sex"), pd.Series(race, name="race")


METRICS = {
    "accuracy": skm.accuracy_score,
    "selection_rate": selection_rate,
    "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "false_negative_rate": false_negative_rate,
    "true_negative_rate": true_negative_rate,
    "precision": skm.precision_score,
    "count": count,
}


def measures(frame, method):
    diff = frame.difference(method=method)
    ratio = frame.ratio(method=method)
    tpr_d, fpr_d = diff["true_positive_rate"], diff["false_positive_rate"]
    tpr_r, fpr_r = ratio["true_positive_rate"], ratio["false_positive_rate"]
    return {
        "demographic_parity_difference": diff["selection_rate"],
        "demographic_parity_ratio": ratio["selection_rate"],
        "equalized_odds_difference": max(tpr_d, fpr_d),
        "equalized_odds_difference_mean": float(pd.Series([tpr_d, fpr_d]).mean()),
        "equalized_odds_ratio": min(tpr_r, fpr_r),
        "equalized_odds_ratio_mean": float(pd.Series([tpr_r, fpr_r]).mean()),
        "equal_opportunity_difference": tpr_d,
        "equal_opportunity_ratio": tpr_r,
    }


def report(label, prediction, sex, race):
    """MetricFrames for sex, race and sex&race with group min/max, differences, ratios and measures."""
    values = {}
    for name, features in (("sex", sex), ("race", race), ("sex&race", pd.concat([sex, race], axis=1))):
        frame = MetricFrame(metrics=METRICS, y_true=label, y_pred=prediction, sensitive_features=features)
        frame.group_min(errors="coerce")
        frame.group_max(errors="coerce")
        for key, row in frame.by_group.iterrows():
            group = "&".join(key) if isinstance(key, tuple) else key
            if np.isnan(row["count"]):
                continue
            for metric in METRICS:
                if metric != "count":
                    values[f"{name}.{group}.{metric}"] = float(row[metric])
        for method in ("between_groups", "to_overall"):
            for measure, value in measures(frame, method).items():
                values[f"{name}.{measure}.{method}"] = float(value)
    return values


def best_time(repeats, body):
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = body()
        best = min(best, time.perf_counter() - start)
    return best, result


def clean(values):
    return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in values.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bootstrap-rows", type=int, default=100_000)
    parser.add_argument("--bootstrap-resamples", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=1)
    arguments = parser.parse_args()
    warnings.simplefilter("ignore")

    label, prediction, _, sex, race = rows(arguments.rows)
    seconds, values = best_time(arguments.repeats, lambda: report(label, prediction, sex, race))
    print(json.dumps({"name": "fairness_report_1m_rows_sex2_race5_intersection", "reference": seconds,
                      "units": "s", "rows": arguments.rows, "values": clean(values)}), flush=True)

    label, prediction, _, sex, race = rows(arguments.bootstrap_rows)
    features = pd.concat([sex, race], axis=1)
    resamples = arguments.bootstrap_resamples

    def bootstrap():
        for grouping in (sex, race, features):
            MetricFrame(metrics={k: v for k, v in METRICS.items() if k != "count"}, y_true=label, y_pred=prediction,
                        sensitive_features=grouping, n_boot=resamples, ci_quantiles=[0.025, 0.975], random_state=7)

    seconds, _ = best_time(1, bootstrap)
    print(json.dumps({"name": "bootstrap_1000_resamples_100k_rows", "reference": seconds * 1000 / resamples,
                      "units": "s", "extrapolated_from": resamples}), flush=True)


if __name__ == "__main__":
    main()
