"""Golden values for Kiln's reductions, made by fairlearn (see README.md).

Run from the repository root with a virtual environment holding the pinned versions:
    python Tests/Fixtures/mitigation/make_reductions_golden.py
It rewrites reductions.json: fairlearn's moments on fixed predictions, and its
ExponentiatedGradient and GridSearch over a deterministic weighted decision stump that the
Swift test implements identically (same candidates, same order, same sums).
"""
import json
import math
import os

import numpy as np
import pandas as pd
import fairlearn
import sklearn
from fairlearn.reductions import (
    BoundedGroupLoss, DemographicParity, EqualizedOdds, ErrorRateParity, ExponentiatedGradient,
    FalsePositiveRateParity, GridSearch, SquareLoss, TruePositiveRateParity,
)
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

HERE = os.path.dirname(os.path.abspath(__file__))


def stump_candidates(X):
    """Every (feature, threshold) in order: features ascending, thresholds ascending."""
    for feature in range(X.shape[1]):
        for threshold in sorted(set(X[:, feature].tolist())):
            yield feature, threshold


class WeightedStumpClassifier(ClassifierMixin, BaseEstimator):
    """x[feature] <= threshold ? left : 1 - left, minimising the weighted error (first best wins)."""

    def fit(self, X, y, sample_weight):
        X = np.asarray(X, dtype=float)
        y = [float(v) for v in np.asarray(y)]
        w = [float(v) for v in np.asarray(sample_weight)]
        best = None
        for feature, threshold in stump_candidates(X):
            column = X[:, feature].tolist()
            for left in (0.0, 1.0):
                error = 0.0
                for x, label, weight in zip(column, y, w):
                    prediction = left if x <= threshold else 1.0 - left
                    if prediction != label:
                        error += weight
                if best is None or error < best[0]:
                    best = (error, feature, threshold, left)
        _, self.feature_, self.threshold_, self.left_ = best
        self.classes_ = np.array([0, 1])
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        return np.where(X[:, self.feature_] <= self.threshold_, self.left_, 1.0 - self.left_).astype(int)


class WeightedStumpRegressor(RegressorMixin, BaseEstimator):
    """Weighted means on each side of x[feature] <= threshold, minimising the weighted squared error."""

    def fit(self, X, y, sample_weight):
        X = np.asarray(X, dtype=float)
        y = [float(v) for v in np.asarray(y)]
        w = [float(v) for v in np.asarray(sample_weight)]
        best = None
        for feature, threshold in stump_candidates(X):
            column = X[:, feature].tolist()
            sums = [0.0, 0.0]
            weights = [0.0, 0.0]
            for x, label, weight in zip(column, y, w):
                side = 0 if x <= threshold else 1
                sums[side] += weight * label
                weights[side] += weight
            means = [sums[s] / weights[s] if weights[s] > 0 else 0.0 for s in (0, 1)]
            error = 0.0
            for x, label, weight in zip(column, y, w):
                difference = label - means[0 if x <= threshold else 1]
                error += weight * difference * difference
            if best is None or error < best[0]:
                best = (error, feature, threshold, means[0], means[1])
        _, self.feature_, self.threshold_, self.left_, self.right_ = best
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        return np.where(X[:, self.feature_] <= self.threshold_, self.left_, self.right_)


def make_data(seed, n, groups, regression=False, second=None):
    rng = np.random.RandomState(seed)
    group = rng.choice(groups, size=n)
    X = rng.randint(0, 8, size=(n, 2)).astype(float)
    shift = np.array([groups.index(g) for g in group], dtype=float)
    score = 0.3 * X[:, 0] - 0.2 * X[:, 1] + 0.6 * shift + rng.normal(0, 1, size=n)
    if regression:
        y = 1 / (1 + np.exp(-(score - 0.5)))
    else:
        y = (score > 0.5).astype(int)
    sensitive = [group.tolist()]
    if second is not None:
        sensitive.append(rng.choice(second, size=n).tolist())
    return X, y, sensitive


def sensitive_frame(sensitive):
    if len(sensitive) == 1:
        return pd.Series(sensitive[0], name="group")
    return pd.DataFrame({f"s{i}": column for i, column in enumerate(sensitive)})


def key_name(key):
    if isinstance(key, tuple):
        return ",".join(str(part).replace(",", "&") if i == len(key) - 1 else str(part) for i, part in enumerate(key))
    return str(key).replace(",", "&")


def series(values):
    return {key_name(k): float(v) for k, v in values.items()}


CONSTRAINTS = {
    "demographic_parity": lambda bound: DemographicParity(difference_bound=bound),
    "equalized_odds": lambda bound: EqualizedOdds(difference_bound=bound),
    "true_positive_rate_parity": lambda bound: TruePositiveRateParity(difference_bound=bound),
    "false_positive_rate_parity": lambda bound: FalsePositiveRateParity(difference_bound=bound),
    "error_rate_parity": lambda bound: ErrorRateParity(difference_bound=bound),
    "bounded_group_loss": lambda bound: BoundedGroupLoss(SquareLoss(0.0, 1.0), upper_bound=bound),
}


def moment_case(name, constraint, seed, groups, second=None, bound=0.02):
    regression = constraint == "bounded_group_loss"
    X, y, sensitive = make_data(seed, 90, groups, regression, second)
    rng = np.random.RandomState(seed + 1000)
    predictions = rng.uniform(0, 1, size=len(y)) if regression else rng.randint(0, 2, size=len(y)).astype(float)
    moment = CONSTRAINTS[constraint](bound)
    moment.load_data(X, pd.Series(y), sensitive_features=sensitive_frame(sensitive))
    objective = moment.default_objective()
    objective.load_data(X, pd.Series(y), sensitive_features=sensitive_frame(sensitive))
    lam = pd.Series(rng.uniform(0, 3, size=len(moment.index)), index=moment.index)
    gamma = moment.gamma(lambda _: predictions)
    if regression:
        basis = [{"plus": key_name(moment.pos_basis[i].idxmax()), "minus": None, "negative_allowed": False}
                 for i in moment.pos_basis.columns]
    else:
        basis = []
        for i in moment.pos_basis.columns:
            plus = moment.pos_basis[i][moment.pos_basis[i] > 0]
            minus = moment.neg_basis[i][moment.neg_basis[i] > 0]
            basis.append({"plus": key_name(plus.index[0]) if len(plus) else None,
                          "minus": key_name(minus.index[0]) if len(minus) else None,
                          "negative_allowed": bool(moment.neg_basis_present[i])})
    objective_weights = objective.signed_weights()
    return {
        "name": name, "constraint": constraint, "bound": bound,
        "inputs": {"labels": [float(v) for v in y], "sensitive": sensitive,
                   "predictions": predictions.tolist(), "lambda": [float(v) for v in lam]},
        "expected": {
            "keys": [key_name(k) for k in moment.index],
            "gamma": [float(v) for v in gamma],
            "objective": float(objective.gamma(lambda _: predictions).iloc[0]),
            "signed_weights": [float(v) for v in moment.signed_weights(lam)],
            "objective_signed_weights": [float(v) for v in objective_weights],
            "projected_lambda": [float(v) for v in moment.project_lambda(lam)],
            "basis": basis,
        },
    }


def reduction_inputs(constraint, seed, groups, second=None, n=120):
    X, y, sensitive = make_data(seed, n, groups, constraint == "bounded_group_loss", second)
    return X, y, sensitive, {"features": X.tolist(), "labels": [float(v) for v in y], "sensitive": sensitive}


def learner(constraint):
    return WeightedStumpRegressor() if constraint == "bounded_group_loss" else WeightedStumpClassifier()


def exponentiated_gradient_case(name, constraint, seed, groups, second=None, bound=0.02, eps=0.05,
                                max_iter=30, linprog=False):
    X, y, sensitive, inputs = reduction_inputs(constraint, seed, groups, second)
    mitigator = ExponentiatedGradient(learner(constraint), CONSTRAINTS[constraint](bound), eps=eps,
                                      max_iter=max_iter, run_linprog_step=linprog)
    mitigator.fit(X, pd.Series(y), sensitive_features=sensitive_frame(sensitive))
    constraints = mitigator.constraints_
    hypotheses = []
    for index, predictor in mitigator.predictors_.items():
        predictions = np.asarray(predictor.predict(X), dtype=float)
        hypotheses.append({"predictions": predictions.tolist(),
                           "gamma": [float(v) for v in constraints.gamma(lambda _: predictions)]})
    lambdas = mitigator.lambda_vecs_EG_
    result = {
        "weights": [float(mitigator.weights_[i]) for i in range(len(hypotheses))],
        "hypotheses": hypotheses,
        "lambda_eg": [[float(v) for v in lambdas[t]] for t in lambdas.columns],
        "best_iteration": int(mitigator.best_iter_), "best_gap": float(mitigator.best_gap_),
        "last_iteration": int(mitigator.last_iter_), "nu": float(mitigator.nu),
        "oracle_calls": int(mitigator.n_oracle_calls_),
        "keys": [key_name(k) for k in constraints.index],
    }
    if constraint != "bounded_group_loss":
        result["positive_probabilities"] = mitigator._pmf_predict(X)[:, 1].tolist()
    return {"name": name, "constraint": constraint, "bound": bound, "eps": eps, "max_iter": max_iter,
            "run_linprog_step": linprog, "inputs": inputs, "expected": result}


def grid_search_case(name, constraint, seed, groups, grid_size, second=None, bound=0.02, grid_limit=2.0):
    X, y, sensitive, inputs = reduction_inputs(constraint, seed, groups, second)
    mitigator = GridSearch(learner(constraint), CONSTRAINTS[constraint](bound), grid_size=grid_size,
                           grid_limit=grid_limit)
    mitigator.fit(X, pd.Series(y), sensitive_features=sensitive_frame(sensitive))
    lambdas = mitigator.lambda_vecs_
    predictions = [np.asarray(p.predict(X), dtype=float).tolist() for p in mitigator.predictors_]
    return {"name": name, "constraint": constraint, "bound": bound, "grid_size": grid_size,
            "grid_limit": grid_limit, "inputs": inputs,
            "expected": {
                "keys": [key_name(k) for k in lambdas.index],
                "lambdas": [[float(v) for v in lambdas[c]] for c in lambdas.columns],
                "objectives": [float(v) for v in mitigator.objectives_],
                "gammas": [[float(v) for v in mitigator.gammas_[c]] for c in mitigator.gammas_.columns],
                "predictions": predictions,
                "best_index": int(mitigator.best_idx_),
            }}


def main():
    two, three = ["F", "M"], ["a", "b", "c"]
    moments = [
        moment_case("demographic_parity_two", "demographic_parity", 1, two),
        moment_case("demographic_parity_three", "demographic_parity", 2, three),
        moment_case("equalized_odds_three", "equalized_odds", 3, three),
        moment_case("true_positive_rate_parity_two", "true_positive_rate_parity", 4, two),
        moment_case("false_positive_rate_parity_three", "false_positive_rate_parity", 5, three),
        moment_case("error_rate_parity_three", "error_rate_parity", 6, three),
        moment_case("equalized_odds_intersection", "equalized_odds", 7, two, second=["x", "y"]),
        moment_case("bounded_group_loss_three", "bounded_group_loss", 8, three, bound=0.05),
    ]
    exponentiated = [
        exponentiated_gradient_case("demographic_parity_two", "demographic_parity", 11, two),
        exponentiated_gradient_case("equalized_odds_three", "equalized_odds", 12, three),
        exponentiated_gradient_case("true_positive_rate_parity_two", "true_positive_rate_parity", 13, two),
        exponentiated_gradient_case("false_positive_rate_parity_two", "false_positive_rate_parity", 14, two),
        exponentiated_gradient_case("error_rate_parity_three", "error_rate_parity", 15, three),
        exponentiated_gradient_case("equalized_odds_intersection", "equalized_odds", 16, two, second=["x", "y"]),
        exponentiated_gradient_case("bounded_group_loss_three", "bounded_group_loss", 17, three, bound=0.06),
        exponentiated_gradient_case("demographic_parity_two_linprog", "demographic_parity", 11, two, linprog=True),
        exponentiated_gradient_case("equalized_odds_three_linprog", "equalized_odds", 12, three, linprog=True),
        exponentiated_gradient_case("error_rate_parity_three_linprog", "error_rate_parity", 15, three, linprog=True),
    ]
    grids = [
        grid_search_case("demographic_parity_two", "demographic_parity", 21, two, 11),
        grid_search_case("demographic_parity_three", "demographic_parity", 22, three, 13),
        grid_search_case("equalized_odds_two", "equalized_odds", 23, two, 9),
        grid_search_case("error_rate_parity_three", "error_rate_parity", 24, three, 10),
        grid_search_case("bounded_group_loss_three", "bounded_group_loss", 25, three, 12, bound=0.06),
    ]
    with open(os.path.join(HERE, "reductions.json"), "w") as handle:
        json.dump({"fairlearn": fairlearn.__version__, "scikit_learn": sklearn.__version__,
                   "numpy": np.__version__, "pandas": pd.__version__,
                   "moments": moments, "exponentiated_gradient": exponentiated, "grid_search": grids},
                  handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
