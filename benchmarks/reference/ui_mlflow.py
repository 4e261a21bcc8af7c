"""MLflow's tracking server beside `kiln ui`: the same 10,000 runs' parameters and final metrics
(20 and 30 each, the values KilnUIBenchmarks writes; no per-step points) in MLflow's SQLite
backend, then the REST calls its UI makes for the runs table, each timed REPEATS times:
the 100 newest runs, the first 100 ordered by a metric, and a filtered search.

Usage: ui_mlflow.py FOLDER [RUNS] [REPEATS]   (mlflow==3.1.1 with SQLAlchemy==2.0.41: 2.1 removed a pool class that MLflow 3.1 imports)
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

folder, run_count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 10
os.makedirs(folder, exist_ok=True)
database = os.path.join(folder, "mlflow.db")
uri = "sqlite:///" + database


def spread(index, key):
    return ((index * 7919 + key * 104729) % 1000) / 1000


def populate():
    from mlflow.entities import Metric, Param, RunStatus, RunTag
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
    store = SqlAlchemyStore(uri, os.path.join(folder, "artifacts"))
    experiments = [store.create_experiment(f"experiment-{i}") for i in range(5)]
    start = time.time()
    for index in range(run_count):
        started = 1_780_000_000_000 + index * 60_000
        run = store.create_run(experiments[index % 5], "bench", started, [RunTag("team", f"team-{index % 7}")], f"run-{index}")
        params = [Param(f"params_{k:02d}", str((index * 31 + k * 17) % 8)) for k in range(20)]
        metrics = [Metric(f"metric_{k:02d}", spread(index, k), started, 0) for k in range(30)]
        store.log_batch(run.info.run_id, metrics=metrics, params=params, tags=[])
        store.update_run_info(run.info.run_id, RunStatus.FINISHED, started + 300_000, f"run-{index}")
    print(f"# populated {run_count} runs in {time.time() - start:.0f} s", file=sys.stderr)
    return experiments


if not os.path.exists(database):
    populate()
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
server = subprocess.Popen([sys.executable, "-m", "mlflow", "server", "--backend-store-uri", uri, "--host", "127.0.0.1",
                           "--port", str(port), "--workers", "1", "--gunicorn-opts", "--timeout 600"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"
try:
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except Exception:
            time.sleep(0.5)
    experiments = json.load(urllib.request.urlopen(base + "/ajax-api/2.0/mlflow/experiments/search?max_results=100"))["experiments"]
    ids = [e["experiment_id"] for e in experiments if e["name"].startswith("experiment-")]
    calls = {
        "newest_100": {"experiment_ids": ids, "max_results": 100, "order_by": ["attributes.start_time DESC"]},
        "by_metric_100": {"experiment_ids": ids, "max_results": 100, "order_by": ["metrics.metric_03 DESC"]},
        "filtered": {"experiment_ids": ids, "max_results": 100, "filter": "metrics.metric_01 > 0.5 and params.params_02 = '3'",
                     "order_by": ["metrics.metric_03 DESC"]},
    }
    for name, body in calls.items():
        timings = []
        for _ in range(repeats):
            request = urllib.request.Request(base + "/ajax-api/2.0/mlflow/runs/search", data=json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json"}, method="POST")
            began = time.perf_counter()
            try:
                answer = json.load(urllib.request.urlopen(request, timeout=600))
            except Exception as error:  # a worker killed by its timeout: the time until then is the figure
                answer = {"error": str(error)}
            timings.append((time.perf_counter() - began) * 1000)
        timings.sort()
        print(json.dumps({"name": f"ui.mlflow_search_{name}", "reference": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))]),
                          "p50": round(statistics.median(timings)), "runs": len(answer.get("runs", [])), "error": answer.get("error"), "units": "ms p95"}))
finally:
    server.terminate()
    server.wait()
