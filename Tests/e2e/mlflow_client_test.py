"""Drives a running MLPlane server with the real MLflow Python client.

Usage: MLFLOW_TRACKING_URI=http://127.0.0.1:PORT python3 Tests/e2e/mlflow_client_test.py
Every step asserts what the server stored; any failure exits non-zero.
"""
import math
import os
import sys
import tempfile
import time
import uuid

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

uri = os.environ["MLFLOW_TRACKING_URI"]
mlflow.set_tracking_uri(uri)
client = MlflowClient(uri)
suffix = uuid.uuid4().hex[:8]
passed = 0


def check(condition, what):
    global passed
    if not condition:
        raise AssertionError(what)
    passed += 1


# Experiments
name = f"e2e-{suffix}"
experiment_id = mlflow.create_experiment(name, tags={"team": "ran"})
experiment = client.get_experiment_by_name(name)
check(experiment.experiment_id == experiment_id, "experiment by name has the created id")
check(experiment.tags.get("team") == "ran", "experiment tag stored")
try:
    mlflow.create_experiment(name)
    check(False, "duplicate experiment must fail")
except MlflowException as error:
    check(error.error_code == "RESOURCE_ALREADY_EXISTS", f"duplicate -> RESOURCE_ALREADY_EXISTS, got {error.error_code}")
mlflow.set_experiment(name)

# Runs with params, metrics, batches, tags and an artifact
run_ids = []
for lr, rmse in [("0.01", 0.5), ("0.1", 1.5), ("0.01", 2.5)]:
    with mlflow.start_run(run_name=f"lr-{lr}-{rmse}") as run:
        mlflow.log_param("lr", lr)
        mlflow.set_tag("team", "ran")
        for step in range(5):
            mlflow.log_metric("rmse", rmse + (4 - step) * 0.1, step=step)
        mlflow.log_metrics({"loss": rmse / 2, "nan_metric": float("nan")})
        run_ids.append(run.info.run_id)

ts = int(time.time() * 1000)
client.log_batch(
    run_ids[0],
    metrics=[Metric("batch_metric", float(i), ts, i) for i in range(200)],
    params=[Param("batch_param", "x")],
    tags=[RunTag("batch", "yes")],
)
run = client.get_run(run_ids[0])
check(run.data.params["lr"] == "0.01", "param read back")
check(run.data.params["batch_param"] == "x", "batch param read back")
check(abs(run.data.metrics["rmse"] - 0.5) < 1e-9, f"latest rmse is the last step's value, got {run.data.metrics['rmse']}")
check(run.data.metrics["batch_metric"] == 199.0, "latest batch metric")
check(math.isnan(run.data.metrics["nan_metric"]), "NaN metric round-trips")
check(run.data.tags["batch"] == "yes" and run.data.tags["mlflow.runName"] == "lr-0.01-0.5", "tags and run name tag")
check(run.info.status == "FINISHED", "run ended as FINISHED")
history = client.get_metric_history(run_ids[0], "rmse")
check([m.step for m in history] == [0, 1, 2, 3, 4], "metric history has every step")
check(len(client.get_metric_history(run_ids[0], "batch_metric")) == 200, "batch metric history")

try:
    client.log_param(run_ids[0], "lr", "0.5")
    check(False, "changing a param must fail")
except MlflowException as error:
    check(error.error_code == "INVALID_PARAMETER_VALUE", "param change -> INVALID_PARAMETER_VALUE")

# Search with a filter, ordering and pagination
found = client.search_runs(
    [experiment_id],
    filter_string="metrics.rmse < 1 and params.lr = '0.01' and tags.team = 'ran' and attributes.status = 'FINISHED'",
)
check([r.info.run_id for r in found] == [run_ids[0]], f"filter finds exactly the first run, got {[r.info.run_name for r in found]}")
ordered = client.search_runs([experiment_id], order_by=["metrics.rmse DESC"])
check([r.info.run_id for r in ordered] == list(reversed(run_ids)), "order by metric descending")
page1 = client.search_runs([experiment_id], max_results=2)
check(len(page1) == 2 and page1.token, "first page has a token")
page2 = client.search_runs([experiment_id], max_results=2, page_token=page1.token)
check(len(page2) == 1 and not page2.token, "second page is the rest")
try:
    client.search_runs([experiment_id], filter_string="metrics.rmse <<< 1")
    check(False, "bad filter must fail")
except MlflowException as error:
    check(error.error_code == "INVALID_PARAMETER_VALUE", "bad filter -> INVALID_PARAMETER_VALUE")

# Artifacts through the proxy
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "report.txt")
    with open(path, "w") as f:
        f.write("hello from the e2e test\n")
    client.log_artifact(run_ids[0], path, artifact_path="reports")
    listed = client.list_artifacts(run_ids[0])
    check([a.path for a in listed] == ["reports"] and listed[0].is_dir, f"root listing shows the folder, got {listed}")
    inner = client.list_artifacts(run_ids[0], "reports")
    check([a.path for a in inner] == ["reports/report.txt"] and inner[0].file_size == 24, f"folder listing, got {inner}")
    out = client.download_artifacts(run_ids[0], "reports/report.txt", folder + "/dl")
    with open(out) as f:
        check(f.read() == "hello from the e2e test\n", "downloaded artifact equals the upload")

# Registry: register, alias, read back by alias, stages
model_name = f"model-{suffix}"
client.create_registered_model(model_name, description="e2e model")
source = f"runs:/{run_ids[0]}/reports"
v1 = client.create_model_version(model_name, source, run_id=run_ids[0])
check(v1.version == "1" and v1.status == "READY", f"version 1 READY, got {v1.version} {v1.status}")
v2 = client.create_model_version(model_name, f"runs:/{run_ids[1]}/reports", run_id=run_ids[1])
check(v2.version == "2", "second registration makes version 2")
client.set_registered_model_alias(model_name, "champion", "1")
by_alias = client.get_model_version_by_alias(model_name, "champion")
check(by_alias.version == "1" and by_alias.run_id == run_ids[0], "alias resolves to version 1")
client.set_registered_model_alias(model_name, "champion", "2")
check(client.get_model_version_by_alias(model_name, "champion").version == "2", "alias moved to version 2")
client.transition_model_version_stage(model_name, "2", "Production")
latest = client.get_latest_versions(model_name, stages=["Production"])
check([v.version for v in latest] == ["2"], "latest Production version")
found_versions = client.search_model_versions(f"name = '{model_name}'")
check(sorted(v.version for v in found_versions) == ["1", "2"], "search model versions")
try:
    client.create_registered_model(model_name)
    check(False, "duplicate model must fail")
except MlflowException as error:
    check(error.error_code == "RESOURCE_ALREADY_EXISTS", "duplicate model -> RESOURCE_ALREADY_EXISTS")
try:
    client.get_model_version(model_name, "99")
    check(False, "missing version must fail")
except MlflowException as error:
    check(error.error_code == "RESOURCE_DOES_NOT_EXIST", "missing version -> RESOURCE_DOES_NOT_EXIST")

# Download the registered model's files by alias
with tempfile.TemporaryDirectory() as folder:
    client.set_registered_model_alias(model_name, "baseline", "1")
    local = mlflow.artifacts.download_artifacts(f"models:/{model_name}@baseline", dst_path=folder)
    names = sorted(os.listdir(local))
    check(names == ["report.txt"], f"models:/ by alias downloads the version's files, got {names}")

# MLflow 3 logged models: log_model with registration
class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return model_input

with mlflow.start_run() as run:
    info = mlflow.pyfunc.log_model(name="echo", python_model=Echo(), registered_model_name=f"echo-{suffix}")
check(str(info.registered_model_version) == "1", f"log_model registered version 1, got {info.registered_model_version!r}")
registered = client.get_model_version(f"echo-{suffix}", "1")
check(registered.status == "READY", "logged model version READY")
logged = client.get_logged_model(info.model_id)
check(logged.status == "READY" or str(logged.status).endswith("READY"), f"logged model finalized, got {logged.status}")
run = client.get_run(run.info.run_id)
check(any(o.model_id == info.model_id for o in run.outputs.model_outputs), "run outputs list the logged model")
loaded = mlflow.pyfunc.load_model(f"models:/echo-{suffix}/1")
check(loaded is not None, "registered logged model loads back")

print(f"mlflow client e2e: {passed} passed, 0 failed")
