"""Golden values for Kiln's multi-class and regression metrics and their group-wise audits.

Computes every expected number with scikit-learn and fairlearn's MetricFrame (no Kiln code), and
writes label_kind_goldens.json next to this script. Run with the reference venv:

    benchmarks/reference/.venv/bin/python Tests/KilnMetricsTests/Fixtures/make_label_kind_goldens.py
"""
import json
import math
import os
import warnings

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame
from sklearn import metrics as skm

warnings.filterwarnings("ignore")


def number(value):
    value = float(value)
    return None if math.isnan(value) else value


def frame_section(frame):
    """by_group, overall, group_min/max, difference and ratio (both methods) of a MetricFrame."""
    by_group = {}
    for key, row in frame.by_group.iterrows():
        name = "&".join(str(part) for part in key) if isinstance(key, tuple) else str(key)
        by_group[name] = {metric: number(row[metric]) for metric in frame.by_group.columns}
    return {
        "overall": {metric: number(value) for metric, value in frame.overall.items()},
        "by_group": by_group,
        "group_min": {metric: number(value) for metric, value in frame.group_min().items()},
        "group_max": {metric: number(value) for metric, value in frame.group_max().items()},
        "difference": {metric: number(value) for metric, value in frame.difference().items()},
        "difference_to_overall": {metric: number(value) for metric, value in frame.difference(method="to_overall").items()},
        "ratio": {metric: number(value) for metric, value in frame.ratio().items()},
        "ratio_to_overall": {metric: number(value) for metric, value in frame.ratio(method="to_overall").items()},
    }


def sections(metrics, y_true, y_pred, sensitive, intersections):
    result = {}
    for name, values in sensitive.items():
        frame = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=pd.Series(values, name=name))
        result[name] = frame_section(frame)
    for parts in intersections:
        features = pd.DataFrame({part: sensitive[part] for part in parts})
        frame = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=features)
        result["&".join(parts)] = frame_section(frame)
    return result


MULTICLASS_GROUP_METRICS = {
    "accuracy": skm.accuracy_score,
    "balanced_accuracy": skm.balanced_accuracy_score,
    "macro_f1": lambda y, p: skm.f1_score(y, p, average="macro"),
}

REGRESSION_GROUP_METRICS = {
    "mae": skm.mean_absolute_error,
    "rmse": skm.root_mean_squared_error,
    "mse": skm.mean_squared_error,
    "r2": skm.r2_score,
    "mean_prediction": lambda y, p: float(np.mean(p)),
}


def multiclass_case(name, labels, probabilities, sensitive, intersections):
    labels = np.asarray(labels)
    probabilities = np.asarray(probabilities)
    class_count = probabilities.shape[1]
    predicted = probabilities.argmax(axis=1)
    present = set(labels.tolist())
    auc = None
    if len(present) == class_count:
        auc = number(skm.roc_auc_score(labels, probabilities, multi_class="ovr", average="macro", labels=list(range(class_count))))
    overall = {
        "accuracy": skm.accuracy_score(labels, predicted),
        "balanced_accuracy": skm.balanced_accuracy_score(labels, predicted),
        "macro_f1": skm.f1_score(labels, predicted, average="macro"),
        "weighted_f1": skm.f1_score(labels, predicted, average="weighted"),
        "micro_f1": skm.f1_score(labels, predicted, average="micro"),
        "macro_precision": skm.precision_score(labels, predicted, average="macro"),
        "macro_recall": skm.recall_score(labels, predicted, average="macro"),
        "log_loss": skm.log_loss(labels, probabilities, labels=list(range(class_count))),
    }
    overall = {key: number(value) for key, value in overall.items()}
    overall["roc_auc_ovr"] = auc
    return {
        "name": name, "kind": "multiclass", "class_count": class_count,
        "inputs": {"labels": labels.tolist(), "probabilities": probabilities.tolist(), "predicted": predicted.tolist(),
                   "sensitive": sensitive, "intersections": intersections},
        "expected": {
            "overall": overall,
            "confusion_matrix": skm.confusion_matrix(labels, predicted, labels=list(range(class_count))).tolist(),
            "sections": sections(MULTICLASS_GROUP_METRICS, labels, predicted, sensitive, intersections),
        },
    }


def regression_case(name, targets, predictions, sensitive, intersections):
    targets = np.asarray(targets, dtype=float)
    predictions = np.asarray(predictions, dtype=float)
    overall = {
        "rmse": skm.root_mean_squared_error(targets, predictions),
        "mae": skm.mean_absolute_error(targets, predictions),
        "r2": skm.r2_score(targets, predictions),
        "mse": skm.mean_squared_error(targets, predictions),
        "explained_variance": skm.explained_variance_score(targets, predictions),
        "median_absolute_error": skm.median_absolute_error(targets, predictions),
        "max_error": skm.max_error(targets, predictions),
    }
    return {
        "name": name, "kind": "regression",
        "inputs": {"targets": targets.tolist(), "predictions": predictions.tolist(), "sensitive": sensitive,
                   "intersections": intersections},
        "expected": {
            "overall": {key: number(value) for key, value in overall.items()},
            "sections": sections(REGRESSION_GROUP_METRICS, targets, predictions, sensitive, intersections),
        },
    }


def random_probabilities(generator, labels, class_count, skill):
    logits = generator.normal(size=(len(labels), class_count))
    logits[np.arange(len(labels)), labels] += skill
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def main():
    generator = np.random.default_rng(20261127)
    cases = []

    # Three classes, two attributes (one race group has a single member), their intersection.
    rows = 61
    labels = generator.integers(0, 3, size=rows)
    sex = [str(v) for v in generator.choice(["Female", "Male"], size=rows)]
    race = [str(v) for v in generator.choice(["a", "b"], size=rows)]
    race[17] = "c"
    cases.append(multiclass_case("multiclass_basic", labels, random_probabilities(generator, labels, 3, 1.2),
                                 {"sex": sex, "race": race}, [["sex", "race"]]))

    # Four classes; class 3 is in the labels but never predicted.
    rows = 40
    labels = generator.integers(0, 4, size=rows)
    probabilities = random_probabilities(generator, labels, 4, 1.5)
    probabilities[:, 3] *= 0.01
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    cases.append(multiclass_case("multiclass_class_never_predicted", labels, probabilities,
                                 {"group": [str(v) for v in generator.choice(["x", "y", "z"], size=rows)]}, []))

    # Three classes; class 2 is predicted but absent from the labels (ROC AUC OvR is undefined).
    rows = 30
    labels = generator.integers(0, 2, size=rows)
    probabilities = random_probabilities(generator, labels, 3, 0.8)
    cases.append(multiclass_case("multiclass_class_absent_from_labels", labels, probabilities,
                                 {"group": [str(v) for v in generator.choice(["p", "q"], size=rows)]}, []))

    # A single group.
    rows = 25
    labels = generator.integers(0, 3, size=rows)
    cases.append(multiclass_case("multiclass_single_group", labels, random_probabilities(generator, labels, 3, 1.0),
                                 {"group": ["only"] * rows}, []))

    # Regression: two attributes, a single-member group, an intersection.
    rows = 57
    sex = [str(v) for v in generator.choice(["Female", "Male"], size=rows)]
    race = [str(v) for v in generator.choice(["a", "b"], size=rows)]
    race[5] = "c"
    targets = generator.normal(10.0, 3.0, size=rows)
    predictions = targets + generator.normal(0.0, 1.0, size=rows) + np.where(np.array(sex) == "Female", 0.7, 0.0)
    cases.append(regression_case("regression_basic", targets, predictions, {"sex": sex, "race": race}, [["sex", "race"]]))

    # Constant targets overall (R² and explained variance by scikit-learn's force_finite convention).
    rows = 12
    cases.append(regression_case("regression_constant_targets", np.full(rows, 4.5), 4.5 + generator.normal(0, 0.5, size=rows),
                                 {"group": [str(v) for v in generator.choice(["u", "v"], size=rows)]}, []))

    # Constant targets inside one group only, an even row count (median of two middles).
    targets = np.concatenate([np.full(6, 2.0), generator.normal(5.0, 2.0, size=8)])
    predictions = targets + generator.normal(0, 0.4, size=14)
    cases.append(regression_case("regression_constant_group", targets, predictions,
                                 {"group": ["flat"] * 6 + ["varied"] * 8}, []))

    # A single group.
    targets = generator.normal(0.0, 1.0, size=20)
    cases.append(regression_case("regression_single_group", targets, 0.8 * targets + generator.normal(0, 0.3, size=20),
                                 {"group": ["only"] * 20}, []))

    output = os.path.join(os.path.dirname(os.path.abspath(__file__)), "label_kind_goldens.json")
    with open(output + ".tmp", "w") as handle:
        json.dump({"generator": "make_label_kind_goldens.py", "cases": cases}, handle, indent=1, sort_keys=True)
        handle.write("\n")
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
