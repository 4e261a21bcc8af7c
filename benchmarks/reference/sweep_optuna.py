"""Reference figures for KilnSweepBenchmarks: Optuna's TPESampler and RandomSampler.

Prints one JSON object per line, {"name", "kiln", "reference", "ratio", "units"}, with the
same names as the Kiln benchmark and the Optuna figure under "reference".
Needs: optuna (PyPI). Usage: python sweep_optuna.py [--seeds 10] [--quick]
"""
import argparse
import json
import math
import time

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
              [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def branin(trial):
    x1 = trial.suggest_float("x0", -5.0, 10.0)
    x2 = trial.suggest_float("x1", 0.0, 15.0)
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(trial):
    x = [trial.suggest_float(f"x{j}", 0.0, 1.0) for j in range(6)]
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN_A[i][j] * (x[j] - 1e-4 * HARTMANN_P[i][j]) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-inner)
    return -total


def rosenbrock5(trial):
    x = [trial.suggest_float(f"x{j}", -2.048, 2.048) for j in range(5)]
    return sum(100 * (x[j + 1] - x[j] ** 2) ** 2 + (1 - x[j]) ** 2 for j in range(4))


FUNCTIONS = {"branin": branin, "hartmann6": hartmann6, "rosenbrock5": rosenbrock5}


def make_sampler(kind, seed):
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    return optuna.samplers.RandomSampler(seed=seed)


def emit(name, value, units, values=None):
    line = {"name": name, "kiln": None, "reference": value, "ratio": None, "units": units}
    if values is not None:
        line["values"] = values
    print(json.dumps(line), flush=True)


def best_values(kind, function, budgets, seeds, offset):
    """Best value after each budget, per seed, from one study of max(budgets) trials per seed."""
    results = {budget: [] for budget in budgets}
    for seed in range(offset, offset + seeds):
        study = optuna.create_study(sampler=make_sampler(kind, seed))
        study.optimize(function, n_trials=max(budgets))
        values = [t.value for t in study.trials]
        for budget in budgets:
            results[budget].append(min(values[:budget]))
    return results


def overhead_ms(trials):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    start = time.perf_counter()
    study.optimize(branin, n_trials=trials)
    return (time.perf_counter() - start) * 1000 / trials


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--seed-offset", type=int, default=0, help="seeds offset, offset+1, ...")
    parser.add_argument("--samplers", default="tpe,random")
    parser.add_argument("--quick", action="store_true", help="skip the 1,000-trial overhead run")
    args = parser.parse_args()
    for kind in args.samplers.split(","):
        for name, function in FUNCTIONS.items():
            results = best_values(kind, function, (50, 100), args.seeds, args.seed_offset)
            for budget, values in results.items():
                q1, median, q3 = np.percentile(values, [25, 50, 75])
                emit(f"sweep.{kind}.{name}.trials{budget}.best_median", float(median), "objective",
                     values=[float(v) for v in values])
                emit(f"sweep.{kind}.{name}.trials{budget}.best_iqr", float(q3 - q1), "objective")
    for trials in (100,) if args.quick else (100, 1000):
        emit(f"sweep.tpe.overhead.trials{trials}", overhead_ms(trials), "ms/trial")


if __name__ == "__main__":
    main()
