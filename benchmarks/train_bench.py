"""Kiln's training benchmarks, run by scripts/bench with the release `kiln` binary.

Prints JSON lines:
- train_adult_e2e: `kiln train experiments/adult-mlp.yaml` with schedule, early stopping and
  clipping off (the same work as benchmarks/reference/train_adult_torch.py): wall-clock samples/s
  of the whole command, and the test accuracy of its final weights.
- mpi_scaling: training samples/s of a GEMM-bound MLP (1024 -> 1024 -> 1024 -> 1, batch 1024,
  one BLAS thread per rank) at 2 ranks divided by 1 rank.
- allreduce_share: the share of step time spent in the gradient allreduce at 2 ranks.
Test accuracy needs numpy and h5py (the reference environment); without them it is left out.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

KILN = os.path.abspath(".build/release/kiln")


def kiln(arguments, cwd, env=None):
    result = subprocess.run([KILN] + arguments, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit("kiln %s failed" % " ".join(arguments))
    return result.stdout


def run_id(output):
    for line in output.splitlines():
        if line.startswith("run "):
            return line[4:].split(":")[0]
    raise SystemExit("no run id in output")


def tags(run, cwd):
    return json.loads(kiln(["runs", "show", run, "--json"], cwd)).get("tags", {})


def test_accuracy(checkpoint, dataset):
    try:
        import h5py
        import numpy as np
    except ImportError:
        return None
    with h5py.File(dataset, "r") as f:
        rows = f["splits/test"][...]
        x = f["features"][...][rows]
        y = f["label"][...][rows]
    with h5py.File(checkpoint, "r") as c:
        p = c["parameters"]
        count = len([k for k in p.keys() if k.endswith(".weight")])
        for i in range(count):
            x = x @ p["layers.%d.weight" % i][...].T + p["layers.%d.bias" % i][...]
            if i < count - 1:
                x = np.maximum(x, 0)
    return float(((x[:, 0] > 0).astype(int) == y).mean())


def main():
    project = os.getcwd()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if not os.path.exists("datasets/adult/adult.h5"):
        kiln(["dataset", "import", "datasets/adult/dataset.yaml"], project)
    overrides = ["--set", "training.schedule=null", "--set", "training.early_stopping=null",
                 "--set", "training.gradient_clip_norm=null", "--set", "training.epochs=10"]
    start = time.perf_counter()
    output = kiln(["train", "experiments/adult-mlp.yaml", "--quiet"] + overrides, project, env)
    seconds = time.perf_counter() - start
    run = run_id(output)
    train_rows = 27143
    row = {"name": "train_adult_e2e", "kiln": train_rows * 10 / seconds, "units": "samples/s", "threads": 1,
           "seconds": round(seconds, 3)}
    accuracy = test_accuracy(os.path.join(project, ".kiln/runs/%s/checkpoints/final.h5" % run), "datasets/adult/adult.h5")
    if accuracy is not None:
        row["test_accuracy"] = accuracy
    print(json.dumps(row), flush=True)

    scratch = tempfile.mkdtemp(prefix="kiln-bench-")
    try:
        os.makedirs(os.path.join(scratch, "experiments"))
        kiln(["dataset", "synthesize", os.path.join(scratch, "wide.h5"), "--rows", "16384", "--noise-features", "1022"], scratch)
        with open(os.path.join(scratch, "experiments/wide.yaml"), "w") as f:
            f.write("name: wide\ndataset: %s\nmodel: {kind: mlp, hidden: [1024, 1024]}\n"
                    "training: {epochs: 2, batch_size: 1024, seed: 1, optimizer: {kind: adam, lr: 1.0e-4}}\n"
                    % os.path.join(scratch, "wide.h5"))
        rates = {}
        for ranks in (1, 2):
            output = kiln(["train", "experiments/wide.yaml", "--quiet", "--nproc", str(ranks)] if ranks > 1
                          else ["train", "experiments/wide.yaml", "--quiet"], scratch, env)
            run_tags = tags(run_id(output), scratch)
            rates[ranks] = float(run_tags["timing.step_samples_per_second"])
            if ranks == 2:
                share = float(run_tags["timing.allreduce_share"])
        print(json.dumps({"name": "mpi_scaling", "kiln": rates[2] / rates[1], "reference": 2.0, "ratio": rates[2] / rates[1] / 2.0,
                          "units": "speed-up at 2 ranks", "samples_per_second_1_rank": rates[1],
                          "samples_per_second_2_ranks": rates[2]}), flush=True)
        print(json.dumps({"name": "allreduce_share", "kiln": share, "units": "share of step time at 2 ranks"}), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
