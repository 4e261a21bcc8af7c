"""Kiln's training benchmarks, run by scripts/bench with the release `kiln` binary.

Prints JSON lines:
- train_adult_e2e: `kiln train experiments/adult-mlp.yaml` with schedule, early stopping and
  clipping off (the same work as benchmarks/reference/train_adult_torch.py): wall-clock samples/s
  of the whole command, and the test accuracy of its final weights.
- mpi_scaling: training samples/s of a GEMM-bound MLP (1024 -> 1024 -> 1024 -> 1, batch 1024,
  one BLAS thread per rank) at 2 ranks (`kiln train --nproc 2`, optimizer sharded) divided by 1
  rank; "reference" is the machine's ceiling (below) and "ratio" the share of that ceiling 2 ranks
  reach; speedup_replicated_optimizer is the same with every rank stepping every parameter.
- mpi_ceiling: two independent 1-rank trainings run at once (no communication) divided by one
  alone: the best any 2-process training can do on this machine.
- allreduce_share: the share of step time spent averaging gradients at 2 ranks, and within it
  (waiting_share) the time rank 0 waited for the slower rank before any data moved.
- blas_threads_by_size: for every shipped experiment (experiments/*.yaml with a dataset), training
  samples/s (step time only) with OpenBLAS's two threads divided by one thread, the median of the
  per-round ratios over KILN_BENCH_THREAD_ROUNDS rounds (default 5) run alternately; goal >= 0.97.
Each MPI figure is the median over rounds (KILN_BENCH_MPI_ROUNDS, default 3); a round runs
1 rank, 2 ranks and the independent pair back to back, with the 1-minute load average noted.
`--mpi-only` runs only the MPI figures, `--threads-only` only blas_threads_by_size; KILN_BINARY names another kiln binary to measure.
Test accuracy needs numpy and h5py (the reference environment); without them it is left out.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

KILN = os.path.abspath(os.environ.get("KILN_BINARY", ".build/release/kiln"))


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


def training_rate(run, cwd):
    """Global training samples/s over the time in training steps (`system.train_samples_per_second`)."""
    return float(json.loads(kiln(["runs", "show", run, "--json"], cwd))["resources"]["train_samples_per_second"])


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


def wide_rate(mode, scratch, env):
    """Global training samples/s (step time only) and the allreduce share for `mode`: "1" (one
    process), "2" (`--nproc 2`, the optimizer sharded over the ranks), "2-replicated" (`--nproc 2`
    with `training.shard_optimizer=false`: every rank steps every parameter) or "pair" (two
    independent 1-rank processes at once, summed)."""
    experiment = os.path.join(scratch, "experiments/wide.yaml")
    if mode == "pair":
        projects = [os.path.join(scratch, "pair%d" % index) for index in range(2)]
        for project in projects:
            os.makedirs(project, exist_ok=True)
        processes = [subprocess.Popen([KILN, "train", experiment, "--quiet"], cwd=project, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for project in projects]
        total = 0.0
        for process, project in zip(processes, projects):
            output, errors = process.communicate()
            if process.returncode != 0:
                sys.stderr.write(errors)
                raise SystemExit("kiln train (independent pair) failed")
            total += training_rate(run_id(output), project)
        return total, None, None
    arguments = ["train", experiment, "--quiet"] + (["--nproc", "2"] if mode.startswith("2") else [])
    if mode == "2-replicated":
        arguments += ["--set", "training.shard_optimizer=false"]
    run = run_id(kiln(arguments, scratch, env))
    run_tags = tags(run, scratch)
    share, waiting = run_tags.get("timing.allreduce_share"), run_tags.get("timing.allreduce_wait_share")
    return (training_rate(run, scratch), float(share) if share is not None else None,
            float(waiting) if waiting is not None else None)


def main():
    project = os.getcwd()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if "--threads-only" in sys.argv:
        blas_threads_by_size(project)
        return
    if "--mpi-only" not in sys.argv:
        adult_end_to_end(project, env)
        blas_threads_by_size(project)
    mpi_scaling(env)


def blas_threads_by_size(project):
    rounds = int(os.environ.get("KILN_BENCH_THREAD_ROUNDS", "5"))
    for name in sorted(os.listdir("experiments")):
        path = os.path.join("experiments", name)
        dataset = None
        with open(path) as f:
            for line in f:
                if line.startswith("dataset:"):
                    dataset = line.split(":", 1)[1].strip()
        if not name.endswith(".yaml") or dataset is None:
            continue
        if not os.path.exists(dataset):
            kiln(["dataset", "import", os.path.join(os.path.dirname(dataset), "dataset.yaml")], project)
        rates = {"1": [], "2": []}
        loads = []
        for _ in range(rounds):
            for threads in ("1", "2"):
                loads.append(round(os.getloadavg()[0], 2))
                env = dict(os.environ, OPENBLAS_NUM_THREADS=threads)
                rates[threads].append(training_rate(run_id(kiln(["train", path, "--quiet"], project, env)), project))
        ratios = [two / one for one, two in zip(rates["1"], rates["2"])]
        print(json.dumps({"name": "blas_threads_by_size", "experiment": name[:-5], "kiln": statistics.median(ratios),
                          "units": "training samples/s at 2 BLAS threads / 1 thread", "goal": 0.97, "rounds": rounds,
                          "ratio_per_round": [round(x, 3) for x in ratios],
                          "samples_per_second_1_thread": statistics.median(rates["1"]),
                          "samples_per_second_2_threads": statistics.median(rates["2"]),
                          "load_average_1min": loads}), flush=True)


def adult_end_to_end(project, env):
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


def mpi_scaling(env):
    scratch = tempfile.mkdtemp(prefix="kiln-bench-")
    try:
        os.makedirs(os.path.join(scratch, "experiments"))
        kiln(["dataset", "synthesize", os.path.join(scratch, "wide.h5"), "--rows", "16384", "--noise-features", "1022"], scratch)
        with open(os.path.join(scratch, "experiments/wide.yaml"), "w") as f:
            f.write("name: wide\ndataset: %s\nmodel: {kind: mlp, hidden: [1024, 1024]}\n"
                    "training: {epochs: 8, batch_size: 1024, seed: 1, optimizer: {kind: adam, lr: 1.0e-4}}\n"
                    % os.path.join(scratch, "wide.h5"))
        rounds = int(os.environ.get("KILN_BENCH_MPI_ROUNDS", "3"))
        figures = {"1": [], "2": [], "2-replicated": [], "pair": []}
        shares, waits, loads = [], [], []
        for _ in range(rounds):
            for mode in ("1", "2", "2-replicated", "pair"):
                loads.append(round(os.getloadavg()[0], 2))
                rate, share, waiting = wide_rate(mode, scratch, env)
                figures[mode].append(rate)
                if share is not None:
                    shares.append(share)
                if waiting is not None:
                    waits.append(waiting)
        speedups = [two / one for one, two in zip(figures["1"], figures["2"])]
        replicated = [two / one for one, two in zip(figures["1"], figures["2-replicated"])]
        ceilings = [pair / one for one, pair in zip(figures["1"], figures["pair"])]
        speedup, ceiling = statistics.median(speedups), statistics.median(ceilings)
        common = {"rounds": rounds, "load_average_1min": loads}
        print(json.dumps(dict(common, name="mpi_scaling", kiln=speedup, reference=ceiling, ratio=speedup / ceiling,
                              units="speed-up at 2 ranks (reference: two independent processes)", goal=1.8,
                              speedup_per_round=[round(x, 3) for x in speedups],
                              speedup_replicated_optimizer=statistics.median(replicated),
                              speedup_replicated_per_round=[round(x, 3) for x in replicated],
                              samples_per_second_1_rank=statistics.median(figures["1"]),
                              samples_per_second_2_ranks=statistics.median(figures["2"]),
                              samples_per_second_two_independent=statistics.median(figures["pair"]))), flush=True)
        print(json.dumps(dict(common, name="mpi_ceiling", kiln=ceiling, reference=2.0, ratio=ceiling / 2.0,
                              units="speed-up of two independent 1-rank processes",
                              ceiling_per_round=[round(x, 3) for x in ceilings])), flush=True)
        print(json.dumps(dict(common, name="allreduce_share", kiln=statistics.median(shares),
                              units="share of step time at 2 ranks", share_per_round=[round(x, 4) for x in shares],
                              waiting_share=statistics.median(waits) if waits else None)), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
