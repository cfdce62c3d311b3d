#!/usr/bin/env python3
"""Tracking throughput: MLPlane against the MLflow tracking server, side by side.

Workloads (both from 8 concurrent client processes over keep-alive HTTP/1.1):
  - log-batch: 100,000 metrics in batches of 1,000 (100 calls);
  - log-metric: 10,000 single-metric calls.
Prints calls/s, metrics/s and p50/p99 latency per server, and the ratio MLPlane / MLflow.
Installs `mlflow` (the full server) with pip when missing; with --skip-mlflow runs ours only.

Usage: python3 bench/tracking_bench.py [--skip-mlflow] [--json]
"""
import argparse
import http.client
import json
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLIENTS = 8


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


def post(conn, path, body):
    data = json.dumps(body)
    conn.request("POST", path, body=data, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status} {payload[:200]!r}")
    return json.loads(payload or b"{}")


def worker(args):
    port, run_id, kind, calls, offset = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies = []
    now = int(time.time() * 1000)
    for i in range(calls):
        step = offset + i
        if kind == "batch":
            body = {"run_id": run_id, "metrics": [
                {"key": f"m{j % 10}", "value": float(j), "timestamp": now, "step": step * 1000 + j} for j in range(1000)]}
            path = "/api/2.0/mlflow/runs/log-batch"
        else:
            body = {"run_id": run_id, "key": "single", "value": float(step), "timestamp": now, "step": step}
            path = "/api/2.0/mlflow/runs/log-metric"
        start = time.perf_counter()
        post(conn, path, body)
        latencies.append(time.perf_counter() - start)
    return latencies


def measure(port, run_id, kind, total_calls):
    per = total_calls // CLIENTS
    jobs = [(port, run_id, kind, per, c * per) for c in range(CLIENTS)]
    with mp.Pool(CLIENTS) as pool:
        start = time.perf_counter()
        results = pool.map(worker, jobs)
        elapsed = time.perf_counter() - start
    latencies = sorted(l for r in results for l in r)
    calls = len(latencies)
    return {
        "calls": calls,
        "seconds": elapsed,
        "calls_per_s": calls / elapsed,
        "metrics_per_s": calls * (1000 if kind == "batch" else 1) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def run_workloads(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    exp = post(conn, "/api/2.0/mlflow/experiments/create", {"name": f"bench-{time.time_ns()}"})["experiment_id"]
    run_batch = post(conn, "/api/2.0/mlflow/runs/create", {"experiment_id": exp})["run"]["info"]["run_id"]
    run_single = post(conn, "/api/2.0/mlflow/runs/create", {"experiment_id": exp})["run"]["info"]["run_id"]
    return {"log_batch": measure(port, run_batch, "batch", 100), "log_metric": measure(port, run_single, "single", 10_000)}


def start_mlplane(data, build=True):
    if build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "mlplane"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([os.path.join(ROOT, ".build/release/mlplane"), "serve", "--port", str(port), "--data-dir", data, "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(f"http://127.0.0.1:{port}/healthz")
    return proc, port


def start_mlflow(data):
    try:
        import mlflow.server  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError:
        print("installing mlflow (full server) with pip ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mlflow"], check=True)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
                             "--backend-store-uri", f"sqlite:///{data}/mlflow.db", "--artifacts-destination", f"{data}/artifacts"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(f"http://127.0.0.1:{port}/health", seconds=180)
    return proc, port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-mlflow", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-build", action="store_true", help="use the existing .build/release/mlplane")
    args = parser.parse_args()
    results = {}
    ours = lambda data: start_mlplane(data, build=not args.no_build)
    for name, starter in [("mlplane", ours)] + ([] if args.skip_mlflow else [("mlflow", start_mlflow)]):
        data = tempfile.mkdtemp(prefix=f"bench-{name}-")
        proc, port = starter(data)
        try:
            results[name] = run_workloads(port)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            shutil.rmtree(data, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'workload':<12} {'server':<8} {'calls/s':>10} {'metrics/s':>12} {'p50 ms':>8} {'p99 ms':>8}")
    for workload in ["log_batch", "log_metric"]:
        for name, r in results.items():
            w = r[workload]
            print(f"{workload:<12} {name:<8} {w['calls_per_s']:>10.0f} {w['metrics_per_s']:>12.0f} {w['p50_ms']:>8.2f} {w['p99_ms']:>8.2f}")
        if "mlflow" in results:
            ratio = results["mlplane"][workload]["calls_per_s"] / results["mlflow"][workload]["calls_per_s"]
            print(f"{workload:<12} ratio    {ratio:>9.1f}x  (MLPlane / MLflow calls/s)")


if __name__ == "__main__":
    main()
