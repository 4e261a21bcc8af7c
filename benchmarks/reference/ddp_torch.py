"""PyTorch DistributedDataParallel reference for Kiln's mpi_scaling benchmark.

The same GEMM-bound MLP (1024 -> 1024 -> 1024 -> 1, ReLU), global batch 1024, Adam (lr 1e-4),
BCE with logits, one intra-op thread per process, trained:
- in one process without DDP (1 rank),
- in two DDP processes over the gloo backend on this machine (2 ranks, batch 512 each; DDP's
  bucketed allreduce overlaps the backward pass),
- in two independent processes at once, each the 1-rank case (the machine's ceiling).
Each figure is the median over rounds of training samples/s (global samples per second of step
time), rounds taken back to back. Prints JSON lines {"name", "framework", "value", "units", ...}:
mpi_scaling (2 ranks / 1 rank), mpi_ceiling (two independent processes / 1 rank) and
mpi_samples_per_second_2_ranks. Needs only torch.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from torch_optim import adam

SIZES = [1024, 1024, 1024, 1]
GLOBAL_BATCH = 1024


def mlp():
    layers = []
    for i in range(len(SIZES) - 1):
        layers.append(torch.nn.Linear(SIZES[i], SIZES[i + 1]))
        if i < len(SIZES) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def train(rank, world, ddp, steps, results, init_file):
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    if ddp:
        dist.init_process_group("gloo", init_method="file://" + init_file, rank=rank, world_size=world)
    torch.manual_seed(7)
    model = mlp()
    if ddp:
        model = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = adam(model.parameters(), lr=1e-4)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    batch = GLOBAL_BATCH // world if ddp else GLOBAL_BATCH
    generator = torch.Generator().manual_seed(11 + rank)
    xs = torch.randn(16, batch, SIZES[0], generator=generator)
    ys = (torch.rand(16, batch, 1, generator=generator) > 0.5).float()

    def step(i):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[i % 16]), ys[i % 16])
        loss.backward()
        optimizer.step()

    for i in range(3):
        step(i)
    if ddp:
        dist.barrier()
    start = time.perf_counter()
    for i in range(steps):
        step(i)
    elapsed = time.perf_counter() - start
    results.put((rank, batch * steps / elapsed))
    if ddp:
        dist.destroy_process_group()


def run(mode, steps):
    """Global training samples/s for `mode`: "1", "2" (DDP) or "pair" (two independent processes)."""
    context = mp.get_context("spawn")
    results = context.Queue()
    with tempfile.TemporaryDirectory() as scratch:
        init_file = os.path.join(scratch, "rendezvous")
        if mode == "1":
            processes = [context.Process(target=train, args=(0, 1, False, steps, results, init_file))]
        else:
            ddp = mode == "2"
            processes = [context.Process(target=train, args=(rank, 2, ddp, steps, results, init_file)) for rank in range(2)]
        for process in processes:
            process.start()
        rates = [results.get() for _ in processes]
        for process in processes:
            process.join()
            if process.exitcode != 0:
                raise SystemExit("training process failed in mode %s" % mode)
    if mode == "2":
        # Synchronous data parallelism: every rank runs at the pace of the slowest; global rate.
        return 2 * min(rate for _, rate in rates)
    return sum(rate for _, rate in rates)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=30)
    arguments = parser.parse_args()
    figures = {"1": [], "2": [], "pair": []}
    loads = []
    for _ in range(arguments.rounds):
        for mode in ("1", "2", "pair"):
            loads.append(round(os.getloadavg()[0], 2))
            figures[mode].append(run(mode, arguments.steps))
    speedups = [two / one for one, two in zip(figures["1"], figures["2"])]
    ceilings = [pair / one for one, pair in zip(figures["1"], figures["pair"])]
    common = {"framework": "pytorch-ddp-gloo", "threads": 1, "torch": torch.__version__, "rounds": arguments.rounds,
              "load_average_1min": loads}
    print(json.dumps(dict(common, name="mpi_scaling", value=statistics.median(speedups), units="speed-up at 2 ranks",
                          samples_per_second_1_rank=statistics.median(figures["1"]),
                          samples_per_second_2_ranks=statistics.median(figures["2"]),
                          samples_per_second_two_independent=statistics.median(figures["pair"]))), flush=True)
    print(json.dumps(dict(common, name="mpi_ceiling", value=statistics.median(ceilings),
                          units="speed-up of two independent 1-rank processes")), flush=True)
    print(json.dumps(dict(common, name="mpi_samples_per_second_2_ranks", value=statistics.median(figures["2"]),
                          units="samples/s")), flush=True)


if __name__ == "__main__":
    sys.exit(main())
