"""h5py reference for Kiln's data-loading benchmarks (Benchmarks/KilnDataBenchmarks).

Reads the same Kiln dataset file with the same access patterns and the same chunk cache, and
prints one JSON object of rows/s per pattern. Needs: h5py, numpy.

    python data_loading.py --path /tmp/kiln-bench.h5 --cache-bytes 1048576
"""
import argparse
import json
import time

import h5py
import numpy as np


def batches_read(features, label, sensitive, batches):
    rows = 0
    for index in batches:
        features[index]
        label[index]
        for dataset in sensitive:
            dataset[index]
        rows += len(index) if not isinstance(index, slice) else index.stop - index.start
    return rows


def timed(function):
    start = time.perf_counter()
    rows = function()
    return rows / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", required=True)
    parser.add_argument("--cache-bytes", type=int, default=1 << 20)
    parser.add_argument("--shuffled-batches", type=int, default=200)
    parser.add_argument("--buffer-chunks", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()

    results = {}
    with h5py.File(arguments.path, "r", rdcc_nbytes=arguments.cache_bytes, rdcc_nslots=12421) as file:
        features = file["features"]
        label = file["label"]
        sensitive = [file["sensitive"][name] for name in file["sensitive"]]
        rows = features.shape[0]
        chunk_rows = features.chunks[0]

        results["whole_read"] = timed(lambda: features[...].shape[0])

        for size in (256, 4096):
            slices = [slice(start, min(start + size, rows)) for start in range(0, rows, size)]
            # Best of five passes: one pass of 1 M rows takes well under a second.
            results[f"sequential_{size}"] = max(timed(lambda: batches_read(features, label, sensitive, slices))
                                                for _ in range(5))

        generator = np.random.default_rng(arguments.seed)
        permutation = generator.permutation(rows)
        count = min(arguments.shuffled_batches, rows // 256)
        sorted_batches = [np.sort(permutation[i * 256:(i + 1) * 256]) for i in range(count)]
        results["shuffled_256"] = timed(lambda: batches_read(features, label, sensitive, sorted_batches))

        def chunk_shuffled():
            chunk_order = generator.permutation((rows + chunk_rows - 1) // chunk_rows)
            total = 0
            for start in range(0, len(chunk_order), arguments.buffer_chunks):
                window = chunk_order[start:start + arguments.buffer_chunks]
                parts = [(features[c * chunk_rows:(c + 1) * chunk_rows], label[c * chunk_rows:(c + 1) * chunk_rows],
                          [d[c * chunk_rows:(c + 1) * chunk_rows] for d in sensitive]) for c in window]
                x = np.concatenate([p[0] for p in parts])
                y = np.concatenate([p[1] for p in parts])
                order = generator.permutation(len(x))
                for batch in range(0, len(order), 256):
                    index = order[batch:batch + 256]
                    x[index]
                    y[index]
                    total += len(index)
            return total
        results["chunk_shuffled_256"] = timed(chunk_shuffled)

    print(json.dumps(results))


if __name__ == "__main__":
    main()
