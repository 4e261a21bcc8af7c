"""PyTorch eager reference for Kiln's mlp_small and mlp_gemm benchmarks.

Prints one JSON object per line: {"name", "framework", "threads", "value", "units"}.
mlp_small: 104 -> 64 -> 64 -> 1 (ReLU), batch 256, Adam, BCE with logits: training samples/s.
mlp_gemm: 1024 -> 1024 -> 1024 -> 1, batch 1024: achieved GFLOP/s of forward + backward + update,
counting 2·B·P for the forward matmuls, 2·B·P for the weight gradients and 2·B·(P − P₁) for the
input gradients (none for the first layer), P the weight count and P₁ the first layer's.
"""
import argparse
import json
import time

import torch

from torch_optim import adam


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def train_rate(sizes, batch, seconds):
    torch.manual_seed(7)
    model = mlp(sizes)
    optimizer = adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    batches = 64
    xs = torch.randn(batches, batch, sizes[0])
    ys = (torch.rand(batches, batch, 1) > 0.5).float()

    def step(i):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[i % batches]), ys[i % batches])
        loss.backward()
        optimizer.step()

    for i in range(20):
        step(i)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(10):
            step(steps)
            steps += 1
    elapsed = time.perf_counter() - start
    return steps / elapsed


def flops_per_step(sizes, batch):
    weights = [sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1)]
    total = sum(weights)
    return 2 * batch * total + 2 * batch * total + 2 * batch * (total - weights[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    rate = train_rate([104, 64, 64, 1], 256, args.seconds)
    print(json.dumps({"name": "mlp_small", "framework": "pytorch_eager", "threads": args.threads,
                      "value": rate * 256, "units": "samples/s"}), flush=True)
    sizes = [1024, 1024, 1024, 1]
    rate = train_rate(sizes, 1024, args.seconds)
    print(json.dumps({"name": "mlp_gemm", "framework": "pytorch_eager", "threads": args.threads,
                      "value": rate * flops_per_step(sizes, 1024) / 1e9, "units": "GFLOP/s"}), flush=True)


if __name__ == "__main__":
    main()
