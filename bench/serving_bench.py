#!/usr/bin/env python3
"""Predict throughput and latency with wrk (64 connections, loopback) on a small MLP
(4 -> 8 -> 3), through the TF-Serving and Open Inference Protocol endpoints, with and without
dynamic batching. Installs wrk (apt-get) when missing, builds `mlplane` in release.
Target on 2 cores: 10,000 requests/s with p99 below 10 ms.
Usage: python3 bench/serving_bench.py [--seconds 15] [--no-build]"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Tests", "e2e"))
from make_mlp import write_mlp  # noqa: E402
from register_model import call, register  # noqa: E402

SECONDS = int(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 15


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s.getsockname()[1]


def wrk(url, body, threads=2, connections=64):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [==[' + body + ']==]\n')
    script.close()
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{SECONDS}s", "--latency", "-s", script.name, url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def latency(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, latency(50), latency(99), int(errors.group(1)) if errors else 0


def main():
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    if "--no-build" not in sys.argv:
        subprocess.run(["swift", "build", "-c", "release", "--product", "mlplane"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "mlplane")
    folder = tempfile.mkdtemp()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", "--data-dir", folder + "/data", "--port", str(port), "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        write_mlp(folder + "/mlp.safetensors")
        register(url, "mlp", folder + "/mlp.safetensors")
        call(url, "POST", "/api/v1/deployments", {"name": "plain", "strategy": "single", "baseline": "mlp:1"})
        call(url, "POST", "/api/v1/deployments", {"name": "batched", "strategy": "single", "baseline": "mlp:1",
                                                  "batching": {"max_batch_size": 32, "max_wait_us": 200}})
        call(url, "POST", "/api/v1/deployments", {"name": "canary", "strategy": "canary", "baseline": "mlp:1", "candidate": "mlp:1",
                                                  "min_samples": 10_000_000, "gates": {"max_error_rate": 0.01}})
        tf = json.dumps({"instances": [[0.1, 0.2, 0.3, 0.4]]})
        oip = json.dumps({"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [0.1, 0.2, 0.3, 0.4]}]})
        rows = []
        for label, path, body in [("TF-Serving, no batching", "/v1/models/plain:predict", tf),
                                  ("TF-Serving, dynamic batching", "/v1/models/batched:predict", tf),
                                  ("OIP JSON, no batching", "/v2/models/plain/infer", oip),
                                  ("OIP JSON, dynamic batching", "/v2/models/batched/infer", oip),
                                  ("OIP JSON, canary in progress", "/v2/models/canary/infer", oip)]:
            rps, p50, p99, errors = wrk(url + path, body)
            rows.append((label, rps, p50, p99, errors))
            print(f"{label:32s} {rps:10.0f} req/s   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   non-2xx {errors}", flush=True)
        best = max(rows, key=lambda r: r[1])
        print(f"best: {best[0]}: {best[1]:.0f} req/s (target 10,000), p99 {best[3]:.2f} ms (target < 10 ms)")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
