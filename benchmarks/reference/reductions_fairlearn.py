"""fairlearn reference for reductions on UCI Adult (docs/evaluation.md, "Mitigation").

Reads the dataset Kiln imported (`kiln dataset import datasets/adult/dataset.yaml` writes
datasets/adult/adult.h5: the encoded features, labels, splits and sensitive codes), so both tools
see the same rows and encoding. Fits scikit-learn's LogisticRegression on the train split, then
fairlearn's ExponentiatedGradient with that learner for the constraint on `sex` (eps =
difference bound), and prints one JSON object: test accuracy and the constraint's disparity for
the unmitigated model, the mixture (expected over its randomisation, and one seeded draw), and
the mixture's heaviest single model; and on the train split, where the constraint is imposed, the
expected mixture's accuracy, disparity and violation max(0, disparity - eps), with the
unmitigated model's mean log-loss there (how far a learner must descend to match scikit-learn's).

  python reductions_fairlearn.py [--dataset datasets/adult/adult.h5] [--constraint equalized_odds] [--eps 0.01]

Versions: fairlearn 0.15.0, scikit-learn 1.9.1, numpy 2.4.6, pandas 3.1.1, h5py 3.16.0 (the fixture's README).
"""
import argparse
import json
import time

import h5py
import numpy as np
import pandas as pd
import fairlearn
import sklearn
from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference
from fairlearn.reductions import DemographicParity, EqualizedOdds, ExponentiatedGradient
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss


def load(path):
    with h5py.File(path, "r") as f:
        features = f["features"][...].astype(np.float64)
        labels = f["label"][...].astype(int)
        splits = {name: f["splits/" + name][...].astype(np.int64) for name in ("train", "validation", "test")}
        codes = f["sensitive/sex"][...]
        categories = [c.decode() if isinstance(c, bytes) else str(c) for c in f["sensitive/sex"].attrs["categories"]]
    sex = np.array([categories[c] if c >= 0 else "<missing>" for c in codes])
    return features, labels, splits, sex


def disparity(constraint, labels, predictions, sex):
    if constraint == "equalized_odds":
        return float(equalized_odds_difference(labels, predictions, sensitive_features=sex))
    return float(demographic_parity_difference(labels, predictions, sensitive_features=sex))


def expected_disparity(constraint, labels, probabilities, sex):
    """The disparity of the mixture's expected decisions (rates averaged over its randomisation)."""
    frame = pd.DataFrame({"y": labels, "p": probabilities, "a": sex})
    if constraint == "equalized_odds":
        tpr = frame[frame.y == 1].groupby("a").p.mean()
        fpr = frame[frame.y == 0].groupby("a").p.mean()
        return float(max(tpr.max() - tpr.min(), fpr.max() - fpr.min()))
    rates = frame.groupby("a").p.mean()
    return float(rates.max() - rates.min())


def expected_accuracy(labels, probabilities):
    """The accuracy of the mixture's expected decisions (P(correct) averaged over rows)."""
    return float(np.mean(probabilities * (labels == 1) + (1 - probabilities) * (labels == 0)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="datasets/adult/adult.h5")
    parser.add_argument("--constraint", default="equalized_odds", choices=["equalized_odds", "demographic_parity"])
    parser.add_argument("--eps", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    features, labels, splits, sex = load(args.dataset)
    train, test = splits["train"], splits["test"]
    learner = LogisticRegression(max_iter=2000)
    started = time.time()
    plain = LogisticRegression(max_iter=2000).fit(features[train], labels[train])
    plain_predictions = plain.predict(features[test])
    moment = (EqualizedOdds if args.constraint == "equalized_odds" else DemographicParity)(difference_bound=args.eps)
    mitigator = ExponentiatedGradient(learner, moment, eps=args.eps)
    mitigator.fit(features[train], labels[train], sensitive_features=sex[train])
    seconds = time.time() - started
    probabilities = mitigator._pmf_predict(features[test])[:, 1]
    drawn = mitigator.predict(features[test], random_state=args.seed)
    heaviest = int(np.argmax(mitigator.weights_.to_numpy()))
    best_predictions = mitigator.predictors_[heaviest].predict(features[test])
    y = labels[test]
    train_probabilities = mitigator._pmf_predict(features[train])[:, 1]
    y_train = labels[train]
    train_disparity = expected_disparity(args.constraint, y_train, train_probabilities, sex[train])
    print(json.dumps({
        "reference": "fairlearn ExponentiatedGradient + sklearn LogisticRegression",
        "fairlearn": fairlearn.__version__, "scikit_learn": sklearn.__version__, "numpy": np.__version__,
        "constraint": args.constraint, "eps": args.eps, "sensitive": "sex", "split": "test", "rows": int(len(test)),
        "unmitigated": {"accuracy": float(np.mean(plain_predictions == y)),
                        "disparity": disparity(args.constraint, y, plain_predictions, sex[test])},
        "mixture_expected": {"accuracy": expected_accuracy(y, probabilities),
                             "disparity": expected_disparity(args.constraint, y, probabilities, sex[test])},
        "mixture_drawn": {"seed": args.seed, "accuracy": float(np.mean(drawn == y)),
                          "disparity": disparity(args.constraint, y, drawn, sex[test])},
        "heaviest_model": {"weight": float(mitigator.weights_.iloc[heaviest]), "accuracy": float(np.mean(best_predictions == y)),
                           "disparity": disparity(args.constraint, y, best_predictions, sex[test])},
        "train": {"rows": int(len(train)),
                  "unmitigated_log_loss": float(log_loss(y_train, plain.predict_proba(features[train])[:, 1])),
                  "mixture_expected": {"accuracy": expected_accuracy(y_train, train_probabilities),
                                       "disparity": train_disparity,
                                       "violation": max(0.0, train_disparity - args.eps)}},
        "models": int(len(mitigator.predictors_)), "nonzero_weights": int((mitigator.weights_ > 0).sum()),
        "iterations": int(mitigator.last_iter_ + 1), "oracle_calls": int(mitigator.n_oracle_calls_), "seconds": round(seconds, 1),
    }))


if __name__ == "__main__":
    main()
