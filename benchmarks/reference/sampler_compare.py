"""One-sided tests of a Kiln sampler against Optuna's on the same seeds.

Reads the JSON lines of KilnSweepBenchmarks and of the Optuna reference script (sweep_optuna.py
for TPE, nsga2_optuna.py for NSGA-II), both run with the same --seeds and --seed-offset (seeds
never used for tuning, e.g. 1000-1029), and for each problem and budget runs two one-sided
Mann-Whitney U tests on the per-seed figures at the 5% level: is Kiln worse, is Kiln better.
Prints one JSON line per pair and a summary line. Needs scipy.

    python sampler_compare.py kiln.jsonl optuna.jsonl [--sampler tpe] [--reference-sampler tpe]
        [--figure best_median] [--higher-is-better] [--goal-better 2]
"""
import argparse
import json
import statistics

from scipy.stats import mannwhitneyu


def per_seed(path, sampler, figure):
    values = {}
    prefix, suffix = f"sweep.{sampler}.", f".{figure}"
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            name = row.get("name", "")
            if name.startswith(prefix) and name.endswith(suffix) and "values" in row:
                values[name[len(prefix):-len(suffix)]] = row["values"]
    return values


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kiln")
    parser.add_argument("optuna")
    parser.add_argument("--sampler", default="tpe")
    parser.add_argument("--reference-sampler", default=None)
    parser.add_argument("--figure", default="best_median")
    parser.add_argument("--higher-is-better", action="store_true")
    parser.add_argument("--goal-better", type=int, default=2)
    parser.add_argument("--level", type=float, default=0.05)
    args = parser.parse_args()
    reference_sampler = args.reference_sampler or args.sampler
    kiln = per_seed(args.kiln, args.sampler, args.figure)
    optuna = per_seed(args.optuna, reference_sampler, args.figure)
    worse_side, better_side = ("less", "greater") if args.higher_is_better else ("greater", "less")
    stem = f"{args.sampler}_vs_optuna" + ("" if reference_sampler == args.sampler else f"_{reference_sampler}")
    worse = better = 0
    pairs = sorted(set(kiln) & set(optuna))
    for pair in pairs:
        a, b = kiln[pair], optuna[pair]
        p_worse = float(mannwhitneyu(a, b, alternative=worse_side).pvalue)
        p_better = float(mannwhitneyu(a, b, alternative=better_side).pvalue)
        worse += int(p_worse < args.level)
        better += int(p_better < args.level)
        kiln_median, optuna_median = statistics.median(a), statistics.median(b)
        direction = "higher" if args.higher_is_better else "lower"
        print(json.dumps({"name": f"{stem}.{pair}", "kiln": kiln_median, "reference": optuna_median,
                          "ratio": kiln_median / optuna_median if optuna_median else None,
                          "units": f"median {args.figure} over seeds ({direction} is better)", "seeds": len(a),
                          "p_kiln_worse": p_worse, "p_kiln_better": p_better}))
    print(json.dumps({"name": f"{stem}.summary", "pairs": len(pairs), "worse": worse, "better": better,
                      "goal": f"worse on none, better on at least {args.goal_better}",
                      "met": worse == 0 and better >= args.goal_better}))


if __name__ == "__main__":
    main()
