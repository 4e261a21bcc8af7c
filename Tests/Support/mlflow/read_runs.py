"""Reads every run of an MLflow tracking store with MLflow's own client and prints it as JSON.

Usage: read_runs.py TRACKING_URI (a running server's http:// URL, or file:///… of an exported
file store, read with MLFLOW_ALLOW_FILE_STORE=true). Names are printed as MLflow holds them;
the test decodes them. Used by Tests/KilnCLITests/MLflowExportCLITests.swift.
"""
import json
import sys

from mlflow import MlflowClient


def main(uri):
    client = MlflowClient(tracking_uri=uri)
    runs = []
    for experiment in client.search_experiments():
        for run in client.search_runs([experiment.experiment_id]):
            metrics = {}
            for key in run.data.metrics:
                history = sorted(client.get_metric_history(run.info.run_id, key), key=lambda m: (m.step, m.timestamp))
                metrics[key] = [{"step": m.step, "value": m.value, "timestamp": m.timestamp} for m in history]
            inputs = [
                {"name": i.dataset.name, "digest": i.dataset.digest, "source_type": i.dataset.source_type,
                 "source": i.dataset.source, "tags": {t.key: t.value for t in i.tags}}
                for i in client.get_run(run.info.run_id).inputs.dataset_inputs
            ]
            artifacts = sorted(a.path for a in client.list_artifacts(run.info.run_id)) if uri.startswith("http") else []
            runs.append({"experiment": experiment.name, "name": run.info.run_name, "status": run.info.status,
                         "start_time": run.info.start_time, "end_time": run.info.end_time,
                         "params": run.data.params, "tags": run.data.tags, "metrics": metrics,
                         "inputs": inputs, "artifacts": artifacts})
    json.dump(runs, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
