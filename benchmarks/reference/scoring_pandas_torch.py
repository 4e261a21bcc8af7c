"""Reference for Kiln's `scoring_raw_csv_1m`: the complete Python path a pandas and PyTorch user
would write to score a raw CSV with a stored encoding, on the same file and the same model shape.

  read_csv (pyarrow engine, multi-threaded; the C engine is timed too) -> drop rows with a missing
  token -> the stored encoding (numeric (x - mean) / scale; one-hot over the train categories plus
  the unknown bucket) -> an MLP width -> 64 -> 64 -> 1 with ReLU and a sigmoid, in batches of 8192
  under torch.inference_mode -> DataFrame.to_csv of row_id, line, score (six decimals), decision.

Usage: scoring_pandas_torch.py RAW.csv ENCODING.json [THREADS]
ENCODING.json is Kiln's stored encoding (`DatasetEncoding` as JSON). Prints one JSON line per
read engine with rows/s (best of three whole passes) and the threads used.
"""
import json
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import torch


def encode(frame, blocks):
    """The stored encoding, column by column, into a float32 matrix."""
    width = sum(1 if b["kind"] == "numeric" else len(b["categories"]) + 1 for b in blocks)
    rows = len(frame)
    features = np.zeros((rows, width), dtype=np.float32)
    offset = 0
    index = np.arange(rows)
    for block in blocks:
        column = frame[block["column"]]
        if block["kind"] == "numeric":
            features[:, offset] = (column.to_numpy(dtype=np.float64) - block["mean"]) / block["scale"]
            offset += 1
        else:
            categories = block["categories"]
            codes = pd.Categorical(column, categories=categories).codes.astype(np.int64)
            codes[codes < 0] = len(categories)  # first seen outside train: the unknown bucket
            features[index, offset + codes] = 1
            offset += len(categories) + 1
    return features


def score(path, encoding, model, engine):
    blocks = encoding["blocks"]
    kinds = {b["column"]: b["kind"] for b in blocks}
    dtypes = {name: ("float64" if kinds.get(name) == "numeric" else "str") for name in encoding["rawColumns"]}
    frame = pd.read_csv(path, header=None, names=encoding["rawColumns"], dtype=dtypes, engine=engine,
                        na_values=encoding["missingTokens"], keep_default_na=False)
    lines = np.arange(1, len(frame) + 1)
    keep = frame.notna().all(axis=1).to_numpy()
    frame, lines = frame[keep], lines[keep]
    features = torch.from_numpy(encode(frame, blocks))
    scores = np.empty(len(frame), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(frame), 8192):
            scores[start:start + 8192] = torch.sigmoid(model(features[start:start + 8192])).squeeze(1).numpy()
    output = pd.DataFrame({"row_id": np.flatnonzero(keep), "line": lines, "score": scores,
                           "decision": (scores >= 0.5).astype(np.int8)})
    with tempfile.TemporaryDirectory() as directory:
        output.to_csv(os.path.join(directory, "scores.csv"), index=False, float_format="%.6f")
    return len(frame)


def main():
    path, encoding_path = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
    torch.set_num_threads(threads)
    torch.manual_seed(7)
    with open(encoding_path) as handle:
        encoding = json.load(handle)
    width = sum(1 if b["kind"] == "numeric" else len(b["categories"]) + 1 for b in encoding["blocks"])
    model = torch.nn.Sequential(torch.nn.Linear(width, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                                torch.nn.Linear(64, 1)).eval()
    for engine in ("pyarrow", "c"):
        best, rows = float("inf"), 0
        for _ in range(3):
            start = time.perf_counter()
            rows = score(path, encoding, model, engine)
            best = min(best, time.perf_counter() - start)
        print(json.dumps({"name": "scoring_raw_csv_1m", "framework": f"pandas {pd.__version__} ({engine} engine) + torch {torch.__version__}",
                          "engine": engine, "value": rows / best, "units": "rows/s", "rows": rows, "torch_threads": threads}),
              flush=True)


if __name__ == "__main__":
    main()
