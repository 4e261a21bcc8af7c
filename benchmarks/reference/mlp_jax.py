"""JAX (jit-compiled training step) reference for Kiln's mlp_small and mlp_gemm benchmarks.

Same models, data shapes, optimizer (Adam, written out) and FLOP count as mlp_torch.py.
The thread count is set through XLA_FLAGS before jax is imported, and the process is confined
to that many processors.
"""
import argparse
import json
import os
import sys
import time
from functools import partial


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    flags = "--xla_cpu_multi_thread_eigen=%s intra_op_parallelism_threads=%d" % (
        "true" if args.threads > 1 else "false", args.threads)
    os.environ["XLA_FLAGS"] = flags
    # Recent XLA CPU runtimes size their own thread pool from the processors the process may use
    # and no longer obey the flags above (at "1 thread" JAX 0.10 kept both cores of a 2-core
    # machine busy), so the process is also confined to `threads` processors.
    if hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        if args.threads < len(allowed):
            os.sched_setaffinity(0, allowed[:args.threads])
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax
    import jax.numpy as jnp

    def init(key, sizes):
        params = []
        for i in range(len(sizes) - 1):
            key, sub = jax.random.split(key)
            bound = 1.0 / (sizes[i] ** 0.5)
            w = jax.random.uniform(sub, (sizes[i], sizes[i + 1]), minval=-bound, maxval=bound)
            params.append((w, jnp.zeros((sizes[i + 1],))))
        return params

    def forward(params, x):
        for w, b in params[:-1]:
            x = jax.nn.relu(x @ w + b)
        w, b = params[-1]
        return x @ w + b

    def loss_fn(params, x, y):
        logits = forward(params, x)
        return jnp.mean(jnp.maximum(logits, 0) - logits * y + jnp.log1p(jnp.exp(-jnp.abs(logits))))

    lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-8

    # The parameters and both moments are donated: XLA updates them in place instead of
    # allocating new buffers every step.
    @partial(jax.jit, donate_argnums=(0, 1, 2))
    def step(params, m, v, t, x, y):
        grads = jax.grad(loss_fn)(params, x, y)
        t = t + 1
        m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
        mhat = jax.tree_util.tree_map(lambda m: m / (1 - b1 ** t), m)
        vhat = jax.tree_util.tree_map(lambda v: v / (1 - b2 ** t), v)
        params = jax.tree_util.tree_map(lambda p, a, b: p - lr * a / (jnp.sqrt(b) + eps), params, mhat, vhat)
        return params, m, v, t

    def rate(sizes, batch):
        key = jax.random.PRNGKey(7)
        params = init(key, sizes)
        m = jax.tree_util.tree_map(jnp.zeros_like, params)
        v = jax.tree_util.tree_map(jnp.zeros_like, params)
        t = jnp.array(0.0)
        batches = 64
        xs = jax.random.normal(jax.random.PRNGKey(1), (batches, batch, sizes[0]))
        ys = (jax.random.uniform(jax.random.PRNGKey(2), (batches, batch, 1)) > 0.5).astype(jnp.float32)
        # One device array per batch, made before timing: indexing the stacked array inside the
        # loop would dispatch a slicing operation per step that the training loop does not need.
        xs = [jax.block_until_ready(xs[i]) for i in range(batches)]
        ys = [jax.block_until_ready(ys[i]) for i in range(batches)]
        for i in range(20):
            params, m, v, t = step(params, m, v, t, xs[i % batches], ys[i % batches])
        jax.block_until_ready(params)
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            for _ in range(10):
                params, m, v, t = step(params, m, v, t, xs[steps % batches], ys[steps % batches])
                steps += 1
            jax.block_until_ready(params)
        return steps / (time.perf_counter() - start)

    def flops_per_step(sizes, batch):
        weights = [sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1)]
        total = sum(weights)
        return 2 * batch * total + 2 * batch * total + 2 * batch * (total - weights[0])

    print(json.dumps({"name": "mlp_small", "framework": "jax_jit", "threads": args.threads,
                      "value": rate([104, 64, 64, 1], 256) * 256, "units": "samples/s"}), flush=True)
    sizes = [1024, 1024, 1024, 1]
    print(json.dumps({"name": "mlp_gemm", "framework": "jax_jit", "threads": args.threads,
                      "value": rate(sizes, 1024) * flops_per_step(sizes, 1024) / 1e9, "units": "GFLOP/s"}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
