"""Golden values for Kiln's mitigations, made by the reference tools (see README.md).

Run from the repository root with a virtual environment holding the pinned versions:
    python Tests/Fixtures/mitigation/make_golden.py
It rewrites thresholds.json (fairlearn ThresholdOptimizer) and reweighing.json (AIF360 Reweighing).
"""
import json
import math
import os
import warnings

import numpy as np
import pandas as pd
import fairlearn
import aif360
from fairlearn.postprocessing import ThresholdOptimizer
from aif360.datasets import BinaryLabelDataset
from aif360.algorithms.preprocessing import Reweighing
from sklearn.base import BaseEstimator, ClassifierMixin

HERE = os.path.dirname(os.path.abspath(__file__))


class ScorePassThrough(ClassifierMixin, BaseEstimator):
    """A fitted 'estimator' whose prediction is the score column itself."""

    def fit(self, X, y):
        self.fitted_ = True
        return self

    def predict(self, X):
        return np.asarray(X)[:, 0]


def number(value):
    value = float(value)
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def make_inputs(seed, n, group_names, positive_rates, shifts, decimals=None):
    rng = np.random.RandomState(seed)
    groups = rng.choice(group_names, size=n)
    labels = np.zeros(n, dtype=int)
    scores = np.zeros(n)
    for index, name in enumerate(group_names):
        rows = groups == name
        count = int(rows.sum())
        labels[rows] = (rng.rand(count) < positive_rates[index]).astype(int)
        logits = rng.normal(loc=shifts[index] + 1.5 * (labels[rows] * 2 - 1), scale=1.3, size=count)
        scores[rows] = 1 / (1 + np.exp(-logits))
    if decimals is not None:
        scores = np.round(scores, decimals)
    return scores, labels, groups


def threshold_case(name, seed, n, group_names, positive_rates, shifts, constraints, objective,
                   grid_size=1000, decimals=None):
    scores, labels, groups = make_inputs(seed, n, group_names, positive_rates, shifts, decimals)
    X = pd.DataFrame({"score": scores})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optimizer = ThresholdOptimizer(estimator=ScorePassThrough().fit(X, labels), constraints=constraints,
                                       objective=objective, grid_size=grid_size, prefit=True,
                                       predict_method="predict")
        optimizer.fit(X, labels, sensitive_features=pd.Series(groups, name="group"))
        pmf = optimizer._pmf_predict(X, sensitive_features=pd.Series(groups, name="group"))[:, 1]
    by_group = {}
    for group, interpolation in optimizer.interpolated_thresholder_.interpolation_dict.items():
        rows = groups == group
        positives = rows & (labels == 1)
        negatives = rows & (labels == 0)
        entry = {
            "p0": number(interpolation.p0),
            "operation0": {"operator": interpolation.operation0.operator,
                           "threshold": number(interpolation.operation0.threshold)},
            "p1": number(interpolation.p1),
            "operation1": {"operator": interpolation.operation1.operator,
                           "threshold": number(interpolation.operation1.threshold)},
            # Expected rates of the randomised predictions: means of P(ŷ = 1) from _pmf_predict.
            "expected_selection_rate": number(pmf[rows].mean()),
            "expected_true_positive_rate": number(pmf[positives].mean()),
            "expected_false_positive_rate": number(pmf[negatives].mean()),
        }
        if "p_ignore" in interpolation:
            entry["p_ignore"] = number(interpolation.p_ignore)
            entry["prediction_constant"] = number(interpolation.prediction_constant)
        by_group[str(group)] = entry
    rates = lambda key: [by_group[g][key] for g in by_group]
    return {
        "name": name,
        "constraints": constraints,
        "objective": objective,
        "grid_size": grid_size,
        "inputs": {"scores": [float(s) for s in scores], "labels": [int(v) for v in labels],
                   "groups": [str(g) for g in groups]},
        "expected": {
            "x_best": number(getattr(optimizer, "_x_best", float("nan"))),
            "y_best": number(getattr(optimizer, "_y_best", float("nan"))),
            "by_group": by_group,
            "positive_probabilities": [number(p) for p in pmf],
            "expected_demographic_parity_difference": number(max(rates("expected_selection_rate")) - min(rates("expected_selection_rate"))),
            "expected_true_positive_rate_difference": number(max(rates("expected_true_positive_rate")) - min(rates("expected_true_positive_rate"))),
            "expected_false_positive_rate_difference": number(max(rates("expected_false_positive_rate")) - min(rates("expected_false_positive_rate"))),
        },
    }


def reweighing_case(name, seed, n, group_names, positive_rates):
    rng = np.random.RandomState(seed)
    groups = rng.choice(group_names, size=n)
    labels = np.zeros(n, dtype=int)
    for index, group in enumerate(group_names):
        rows = groups == group
        labels[rows] = (rng.rand(int(rows.sum())) < positive_rates[index]).astype(int)
    codes = np.array([group_names.index(g) for g in groups], dtype=float)
    frame = pd.DataFrame({"group": codes, "label": labels.astype(float)})
    dataset = BinaryLabelDataset(df=frame, label_names=["label"], protected_attribute_names=["group"],
                                 favorable_label=1.0, unfavorable_label=0.0)
    cells = {}
    # AIF360 weighs a privileged group against an unprivileged one. With each group in turn as the
    # privileged one and all others as unprivileged, its privileged weights are that group's cells.
    for index, group in enumerate(group_names):
        others = [{"group": float(k)} for k in range(len(group_names)) if k != index]
        reweighing = Reweighing(unprivileged_groups=others, privileged_groups=[{"group": float(index)}])
        transformed = reweighing.fit_transform(dataset)
        cells[group] = {"1": number(reweighing.w_p_fav), "0": number(reweighing.w_p_unfav)}
        if len(group_names) == 2:
            row_weights = [number(w) for w in transformed.instance_weights]
    if len(group_names) != 2:
        row_weights = [cells[g][str(int(y))] for g, y in zip(groups, labels)]
    return {
        "name": name,
        "inputs": {"labels": [int(v) for v in labels], "groups": [str(g) for g in groups]},
        "expected": {"cell_weights": cells, "row_weights": row_weights},
    }


def main():
    threshold_cases = [
        threshold_case("demographic_parity_two_groups", 101, 400, ["a", "b"], [0.3, 0.5], [-0.5, 0.4],
                       "demographic_parity", "accuracy_score"),
        threshold_case("demographic_parity_three_groups_ties", 102, 600, ["x", "y", "z"], [0.2, 0.4, 0.6],
                       [-0.6, 0.0, 0.5], "demographic_parity", "accuracy_score", decimals=2),
        threshold_case("true_positive_rate_parity_two_groups", 103, 500, ["Female", "Male"], [0.15, 0.35],
                       [-0.3, 0.3], "true_positive_rate_parity", "accuracy_score"),
        threshold_case("true_positive_rate_parity_balanced_accuracy", 104, 450, ["1", "2", "3"], [0.3, 0.4, 0.5],
                       [0.2, -0.2, 0.0], "true_positive_rate_parity", "balanced_accuracy_score", grid_size=200),
        threshold_case("false_positive_rate_parity_two_groups", 108, 400, ["p", "q"], [0.4, 0.4],
                       [0.6, -0.4], "false_positive_rate_parity", "accuracy_score"),
        threshold_case("equalized_odds_two_groups", 105, 500, ["Female", "Male"], [0.12, 0.3],
                       [-0.4, 0.4], "equalized_odds", "accuracy_score"),
        threshold_case("equalized_odds_three_groups_ties", 106, 700, ["g1", "g2", "g3"], [0.25, 0.45, 0.35],
                       [-0.5, 0.5, 0.0], "equalized_odds", "accuracy_score", decimals=2),
        threshold_case("equalized_odds_balanced_accuracy", 107, 400, ["a", "b"], [0.2, 0.5],
                       [0.3, -0.3], "equalized_odds", "balanced_accuracy_score", grid_size=500),
    ]
    with open(os.path.join(HERE, "thresholds.json"), "w") as handle:
        json.dump({"fairlearn": fairlearn.__version__, "numpy": np.__version__, "pandas": pd.__version__,
                   "cases": threshold_cases}, handle, indent=1)
        handle.write("\n")
    reweighing_cases = [
        reweighing_case("two_groups", 201, 300, ["Female", "Male"], [0.11, 0.31]),
        reweighing_case("four_groups", 202, 500, ["a", "b", "c", "d"], [0.1, 0.25, 0.4, 0.6]),
    ]
    with open(os.path.join(HERE, "reweighing.json"), "w") as handle:
        json.dump({"aif360": aif360.__version__, "numpy": np.__version__, "pandas": pd.__version__,
                   "cases": reweighing_cases}, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
