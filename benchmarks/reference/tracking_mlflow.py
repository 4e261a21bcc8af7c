#!/usr/bin/env python3
"""MLflow reference for the tracking benchmarks: log_batch of 100,000 metric points
(10 keys x 10,000 steps) into MLflow's SQLite backend, as points per second.

With `--server http://host:port`, the same points go through a running MLflow tracking server's
REST log-batch instead (scripts/bench-postgres-store starts one over PostgreSQL), and the line is
named `tracking.postgres.log_points_100k.mlflow_server`.

Needs the PyPI package `mlflow` (or `mlflow-skinny`, plus `sqlalchemy` and `alembic`).
Prints one JSON line: {"name", "kiln", "reference", "ratio", "units"}; `kiln` and `ratio` are
null here, the harness pairs the line with KilnTrackingBenchmarks' `tracking.log_points_100k`.
"""
import argparse
import json
import os
import tempfile
import time

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

KEYS = [f"metric_{index}" for index in range(10)]
STEPS = 10_000
BATCH = 1_000  # MLflow's limit on metrics per log_batch call


def points_per_second(tracking_uri, directory):
    """Logs the points in batches of BATCH through `tracking_uri`; returns (points, seconds)."""
    client = MlflowClient(tracking_uri=tracking_uri)
    experiment = client.create_experiment(f"bench-{time.time_ns()}", artifact_location=f"file://{directory}/artifacts")
    run = client.create_run(experiment)
    timestamp = int(time.time() * 1000)
    metrics = [Metric(key, step * 0.001, timestamp, step) for step in range(STEPS) for key in KEYS]
    start = time.perf_counter()
    for offset in range(0, len(metrics), BATCH):
        client.log_batch(run.info.run_id, metrics=metrics[offset:offset + BATCH])
    client.set_terminated(run.info.run_id)
    return len(metrics), time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", help="a running MLflow tracking server's URL")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        uri = arguments.server or f"sqlite:///{os.path.join(directory, 'mlflow.db')}"
        count, elapsed = points_per_second(uri, directory)
    name = "tracking.postgres.log_points_100k.mlflow_server" if arguments.server else "tracking.log_points_100k.mlflow_log_batch_sqlite"
    print(json.dumps({
        "name": name,
        "kiln": None,
        "reference": count / elapsed,
        "ratio": None,
        "units": "points/s",
    }))


if __name__ == "__main__":
    main()
