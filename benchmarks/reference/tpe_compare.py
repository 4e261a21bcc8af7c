"""One-sided tests of Kiln's TPE against Optuna's on the same seeds (issue: TPE, honestly compared).

Reads the JSON lines of KilnSweepBenchmarks and of sweep_optuna.py, both run with the same
--seeds and --seed-offset (seeds never used for tuning, e.g. 1000-1029), and for each test
function and budget runs two one-sided Mann-Whitney U tests on the per-seed best values (lower
is better) at the 5% level: is Kiln worse, is Kiln better. Prints one JSON line per pair and a
summary line. Needs scipy.

    python tpe_compare.py kiln.jsonl optuna.jsonl [--sampler tpe]
"""
import argparse
import json
import statistics

from scipy.stats import mannwhitneyu


def per_seed(path, sampler):
    values = {}
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            name = row.get("name", "")
            if name.startswith(f"sweep.{sampler}.") and name.endswith(".best_median") and "values" in row:
                values[name[len(f"sweep.{sampler}."):-len(".best_median")]] = row["values"]
    return values


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kiln")
    parser.add_argument("optuna")
    parser.add_argument("--sampler", default="tpe")
    parser.add_argument("--level", type=float, default=0.05)
    args = parser.parse_args()
    kiln, optuna = per_seed(args.kiln, args.sampler), per_seed(args.optuna, "tpe")
    worse = better = 0
    pairs = sorted(set(kiln) & set(optuna))
    for pair in pairs:
        a, b = kiln[pair], optuna[pair]
        p_worse = float(mannwhitneyu(a, b, alternative="greater").pvalue)
        p_better = float(mannwhitneyu(a, b, alternative="less").pvalue)
        worse += int(p_worse < args.level)
        better += int(p_better < args.level)
        kiln_median, optuna_median = statistics.median(a), statistics.median(b)
        print(json.dumps({"name": f"tpe_vs_optuna.{pair}", "kiln": kiln_median, "reference": optuna_median,
                          "ratio": kiln_median / optuna_median if optuna_median else None,
                          "units": "median best value over seeds (lower is better)", "seeds": len(a),
                          "p_kiln_worse": p_worse, "p_kiln_better": p_better}))
    print(json.dumps({"name": "tpe_vs_optuna.summary", "pairs": len(pairs), "worse": worse, "better": better,
                      "goal": "worse on none, better on at least two", "met": worse == 0 and better >= 2}))


if __name__ == "__main__":
    main()
