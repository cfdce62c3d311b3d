#!/usr/bin/env python3
"""Registers a model file on an MLPlane server through its MLflow REST API and artifact proxy
(the calls the MLflow client makes): usage register.py URL MODEL_NAME FILE. Prints the version."""
import json
import sys
import time
import urllib.request


def call(url, method, path, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/octet-stream" if raw is not None else "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        answer = json.loads(error.read() or b"{}")
        if answer.get("error_code") == "RESOURCE_ALREADY_EXISTS":
            return answer
        raise RuntimeError(f"{method} {path}: {error.code} {answer}")


def register(url, name, path):
    api = "/api/2.0/mlflow"
    experiment = call(url, "POST", api + "/experiments/create", {"name": f"serving-{name}-{time.time_ns()}"})["experiment_id"]
    run = call(url, "POST", api + "/runs/create", {"experiment_id": experiment, "start_time": int(time.time() * 1000)})["run"]["info"]
    store_path = run["artifact_uri"].split("mlflow-artifacts:", 1)[1].lstrip("/")
    with open(path, "rb") as f:
        call(url, "PUT", f"/api/2.0/mlflow-artifacts/artifacts/{store_path}/model/model.safetensors", raw=f.read())
    call(url, "POST", api + "/registered-models/create", {"name": name})
    version = call(url, "POST", api + "/model-versions/create",
                   {"name": name, "source": run["artifact_uri"] + "/model", "run_id": run["run_id"]})["model_version"]["version"]
    return version


if __name__ == "__main__":
    print(register(sys.argv[1], sys.argv[2], sys.argv[3]))
