#!/usr/bin/env bash
# Starts the real mlplane binary on a free loopback port with a fresh data directory and
# drives it with the official MLflow Python client (Tests/e2e/mlflow_client_test.py).
set -euo pipefail
binary=${1:-.build/debug/mlplane}
dir=$(mktemp -d /tmp/mlplane-e2e.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --data-dir "$dir/data" --port "$port" --log-level warning >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1).read()
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("mlplane did not become healthy within 30 s")
PY
MLFLOW_TRACKING_URI="http://127.0.0.1:$port" MLFLOW_ENABLE_ASYNC_LOGGING=false python3 Tests/e2e/mlflow_client_test.py 2> >(grep -vE "INFO|WARNING|Warning|warn\(|color_warning|Downloading" >&2) || { echo "--- server log"; tail -n 50 "$dir/server.log"; exit 1; }

# The CLI client against the same server: tables and --json.
cli=(env MLPLANE_SERVER="http://127.0.0.1:$port" "$binary")
"${cli[@]}" experiments create cli-e2e >/dev/null
"${cli[@]}" experiments list | grep -q "cli-e2e" || { echo "CLI: experiments list does not show cli-e2e"; exit 1; }
"${cli[@]}" experiments list --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert any(e['name']=='cli-e2e' for e in d['experiments'])" \
    || { echo "CLI: experiments list --json"; exit 1; }
if "${cli[@]}" runs get no-such-run >/dev/null 2>"$dir/cli.err"; then echo "CLI: runs get of a missing run must fail"; exit 1; fi
grep -q "RESOURCE_DOES_NOT_EXIST" "$dir/cli.err" || { echo "CLI: missing-run error not reported"; cat "$dir/cli.err"; exit 1; }
echo "cli e2e: 4 passed, 0 failed"

# Vector collections through the CLI.
printf '%s\n' '{"id": "a", "values": [1, 0], "metadata": {"agent": "x"}}' '{"id": "b", "values": [0, 1]}' > "$dir/vectors.jsonl"
"${cli[@]}" vectors create mem --dimension 2 --metric cosine >/dev/null
"${cli[@]}" vectors upsert mem --input "$dir/vectors.jsonl" | grep -q " 2" || { echo "CLI: vectors upsert"; exit 1; }
"${cli[@]}" vectors search mem --vector 0.9,0.1 --k 1 --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d['hits'][0]['id']=='a', d" \
    || { echo "CLI: vectors search"; exit 1; }
"${cli[@]}" vectors stats mem | grep -q "mem" || { echo "CLI: vectors stats"; exit 1; }
echo "cli vectors e2e: 3 passed, 0 failed"

# PPO training recorded on the server, read back with the MLflow client.
"${cli[@]}" ran train --timesteps 4096 --eval-episodes 2 --output "$dir/policy.safetensors" --experiment ran-e2e --json >"$dir/train.json" 2>"$dir/train.err" \
    || { echo "CLI: ran train --server"; cat "$dir/train.err"; exit 1; }
MLFLOW_TRACKING_URI="http://127.0.0.1:$port" python3 - "$dir" <<'PY' 2> >(grep -vE "INFO|WARNING|Warning|warn\(" >&2)
import json, os, sys
from mlflow import MlflowClient
folder = sys.argv[1]
report = json.load(open(os.path.join(folder, "train.json")))
client = MlflowClient()
run = client.get_run(report["run_id"])
assert run.info.status == "FINISHED", run.info.status
assert run.data.params["scenario"] == "small" and run.data.params["n_steps"] == "2048", run.data.params
history = client.get_metric_history(run.info.run_id, "mean_return")
assert [m.step for m in history] == [2048, 4096], [m.step for m in history]
assert abs(run.data.metrics["final_mean_return"] - report["final_evaluation"]["mean"]) < 1e-9
assert "baseline_strongest_signal_mean_return" in run.data.metrics
paths = sorted(f.path for f in client.list_artifacts(run.info.run_id))
assert paths == ["evaluation.json", "policy"], paths
local = client.download_artifacts(run.info.run_id, "policy/policy.safetensors", folder)
assert open(local, "rb").read() == open(os.path.join(folder, "policy.safetensors"), "rb").read()
version = client.get_model_version("ran-small-central", report["model_version"])
assert version.run_id == run.info.run_id and version.tags["variant"] == "central", version
assert "strongest signal" in version.description
print("ran train e2e: 6 passed, 0 failed")
PY

# Serving: an MLP registered through the MLflow REST API, driven by the real tritonclient
# (binary and JSON tensors) and by curl on the TF-Serving endpoint, with a deployment.
python3 Tests/e2e/make_mlp.py "$dir/mlp.safetensors" --sizes 4,8,3 --seed 3
version=$(python3 Tests/e2e/register_model.py "http://127.0.0.1:$port" e2e-mlp "$dir/mlp.safetensors")
[ "$version" = "1" ] || { echo "serving: registered version '$version'"; exit 1; }
python3 Tests/e2e/tritonclient_test.py "127.0.0.1:$port" e2e-mlp "$dir/mlp.safetensors" || { echo "--- server log"; tail -n 30 "$dir/server.log"; exit 1; }
"${cli[@]}" deploy create e2e-endpoint --strategy single --baseline e2e-mlp:1 >/dev/null || { echo "CLI: deploy create"; exit 1; }
curl -sf -X POST "http://127.0.0.1:$port/v1/models/e2e-endpoint:predict" -H 'Content-Type: application/json' \
    -d '{"instances": [[1, 2, 3, 4]]}' | python3 -c "import json,sys; d=json.load(sys.stdin); assert len(d['predictions'][0]) == 3, d" \
    || { echo "serving: TF-Serving predict on a deployment"; exit 1; }
python3 Tests/e2e/tritonclient_test.py "127.0.0.1:$port" e2e-endpoint "$dir/mlp.safetensors" >/dev/null || { echo "serving: tritonclient on a deployment"; exit 1; }
"${cli[@]}" deploy status e2e-endpoint | grep -q "baseline" || { echo "CLI: deploy status"; exit 1; }
"${cli[@]}" deploy history e2e-endpoint --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d['events'][0]['kind'] == 'created', d" \
    || { echo "CLI: deploy history"; exit 1; }
metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
grep -q 'mlplane_predict_duration_seconds_bucket{model="e2e-mlp",version="1",variant="baseline"' <<<"$metrics" \
    || { echo "serving: no predict histogram per model, version and variant in /metrics"; exit 1; }
echo "serving e2e: 6 passed, 0 failed"

# Causal discovery recorded as a run on the server, read back with the MLflow client.
python3 - "$dir/chain.csv" <<'PY'
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    f.write("load,throughput,utility\n")
    for _ in range(500):
        load = random.gauss(0, 1); throughput = 1.5 * load + random.gauss(0, 0.5); utility = -1.2 * throughput + random.gauss(0, 0.5)
        f.write(f"{load},{throughput},{utility}\n")
PY
"${cli[@]}" causal discover --data "$dir/chain.csv" --record causal-e2e --json >"$dir/causal.json" || { echo "CLI: causal discover --record"; exit 1; }
MLFLOW_TRACKING_URI="http://127.0.0.1:$port" python3 - "$dir/causal.json" <<'PY' 2> >(grep -vE "INFO|WARNING|Warning|warn\(" >&2)
import json, sys
from mlflow import MlflowClient
result = json.load(open(sys.argv[1]))
assert {(e["from"], e["to"]) for e in result["edges"]} == {("load", "throughput"), ("throughput", "utility")}, result["edges"]
client = MlflowClient()
run = client.get_run(result["run_id"])
assert run.data.params["method"] == "notears" and run.data.metrics["edges"] == 2, run.data
assert sorted(f.path for f in client.list_artifacts(run.info.run_id)) == ["graph.dot", "graph.json", "graph.svg", "result.json"]
print("causal e2e: 3 passed, 0 failed")
PY
