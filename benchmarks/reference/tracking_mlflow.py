#!/usr/bin/env python3
"""MLflow reference for the tracking benchmarks: log_batch of 100,000 metric points
(10 keys x 10,000 steps) into MLflow's SQLite backend, as points per second.

Needs the PyPI package `mlflow` (or `mlflow-skinny`, plus `sqlalchemy` and `alembic`).
Prints one JSON line: {"name", "kiln", "reference", "ratio", "units"}; `kiln` and `ratio` are
null here, the harness pairs the line with KilnTrackingBenchmarks' `tracking.log_points_100k`.
"""
import json
import os
import tempfile
import time

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

KEYS = [f"metric_{index}" for index in range(10)]
STEPS = 10_000
BATCH = 1_000  # MLflow's limit on metrics per log_batch call


def main():
    with tempfile.TemporaryDirectory() as directory:
        client = MlflowClient(tracking_uri=f"sqlite:///{os.path.join(directory, 'mlflow.db')}")
        experiment = client.create_experiment("bench", artifact_location=f"file://{directory}/artifacts")
        run = client.create_run(experiment)
        timestamp = int(time.time() * 1000)
        metrics = [Metric(key, step * 0.001, timestamp, step) for step in range(STEPS) for key in KEYS]
        start = time.perf_counter()
        for offset in range(0, len(metrics), BATCH):
            client.log_batch(run.info.run_id, metrics=metrics[offset:offset + BATCH])
        client.set_terminated(run.info.run_id)
        elapsed = time.perf_counter() - start
    print(json.dumps({
        "name": "tracking.log_points_100k.mlflow_log_batch_sqlite",
        "kiln": None,
        "reference": len(metrics) / elapsed,
        "ratio": None,
        "units": "points/s",
    }))


if __name__ == "__main__":
    main()
