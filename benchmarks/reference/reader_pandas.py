"""Reference for Kiln's reader benchmark (KilnDataBenchmarks, reader_adult_like_*): pandas read_csv
of the same file with dtype=str and keep_default_na=False (every field a string, as Kiln's
DelimitedReader hands them out), best of three, by engine: C, and pyarrow when it is installed.
Prints one JSON object: rows/s and MB/s per engine."""
import argparse
import json
import os
import time

import pandas


def best_seconds(path, engine):
    best = float("inf")
    rows = 0
    for _ in range(3):
        start = time.perf_counter()
        frame = pandas.read_csv(path, dtype=str, keep_default_na=False, engine=engine)
        best = min(best, time.perf_counter() - start)
        rows = len(frame)
    return rows, best


parser = argparse.ArgumentParser()
parser.add_argument("--path", required=True)
arguments = parser.parse_args()
size = os.path.getsize(arguments.path)
result = {}
for engine in ["c", "pyarrow"]:
    try:
        rows, seconds = best_seconds(arguments.path, engine)
    except ImportError:
        continue
    result[f"{engine}_rows_per_second"] = rows / seconds
    result[f"{engine}_megabytes_per_second"] = size / seconds / 1e6
print(json.dumps(result))
