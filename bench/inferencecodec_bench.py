#!/usr/bin/env python3
"""Build and run InferenceCodecBench (release) and time peer Python codecs on the same bodies.

Peers (the closest pure-library equivalents that are pip-installable here):
  - tritonclient: InferenceServerClient.generate_request_body + parse_response_body (client-side
    encode/decode of the same 1x4 FP32 request and a 1x3 response), and
  - python-rapidjson + numpy: a server-side style decode of the OIP JSON body plus encode of
    the JSON response (what a Python KServe-like server does per request).
Usage: python3 bench/inferencecodec_bench.py   (needs swift, pip install 'tritonclient[http]' numpy)
"""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_swift():
    subprocess.run(["nice", "-n", "10", "swift", "build", "-c", "release", "--product", "InferenceCodecBench"], cwd=os.path.join(ROOT, "Benchmarks"), check=True)
    out = subprocess.run(["nice", "-n", "10", os.path.join(ROOT, "Benchmarks/.build/release/InferenceCodecBench")],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    print(out)
    figures = {}
    for line in out.splitlines():
        m = re.match(r"(.*?)\s+([0-9.]+) µs/op", line)
        if m:
            figures[m.group(1).strip()] = float(m.group(2))
    return figures


def best_us(fn, n=20000, reps=5):
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n * 1e6)
    return best


def run_python():
    import numpy as np
    import rapidjson
    import tritonclient.http as httpclient

    x = np.array([[0.1, 0.2, 0.3, 0.4]], dtype=np.float32)
    y = np.array([[0.5, -1.25, 3.0]], dtype=np.float32)

    def triton_json():
        inp = httpclient.InferInput("input", [1, 4], "FP32")
        inp.set_data_from_numpy(x, binary_data=False)
        body, _ = httpclient.InferenceServerClient.generate_request_body(
            [inp], outputs=[httpclient.InferRequestedOutput("output", binary_data=False)])
        resp = ('{"model_name":"mlp","model_version":"1","outputs":[{"name":"output","datatype":"FP32",'
                '"shape":[1,3],"data":[0.5,-1.25,3.0]}]}').encode()
        return httpclient.InferenceServerClient.parse_response_body(resp).as_numpy("output")

    resp_head = ('{"model_name":"mlp","model_version":"1","outputs":[{"name":"output","datatype":"FP32",'
                 '"shape":[1,3],"parameters":{"binary_data_size":12}}]}').encode()
    resp_bin = resp_head + y.tobytes()

    def triton_binary():
        inp = httpclient.InferInput("input", [1, 4], "FP32")
        inp.set_data_from_numpy(x, binary_data=True)
        httpclient.InferenceServerClient.generate_request_body(
            [inp], outputs=[httpclient.InferRequestedOutput("output", binary_data=True)])
        return httpclient.InferenceServerClient.parse_response_body(resp_bin, header_length=len(resp_head)).as_numpy("output")

    req = (b'{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[0.10000000149011612,'
           b'0.20000000298023224,0.30000001192092896,0.4000000059604645]}],"outputs":[{"name":"output",'
           b'"parameters":{"binary_data":false}}]}')

    def server_style():
        d = rapidjson.loads(req)
        t = d["inputs"][0]
        arr = np.asarray(t["data"], dtype=np.float32).reshape(t["shape"])
        return rapidjson.dumps({"model_name": "mlp", "model_version": "1", "outputs": [
            {"name": "output", "datatype": "FP32", "shape": list(y.shape), "data": y.flatten().tolist()}]}).encode(), arr

    return {
        "tritonclient JSON 1x4 request encode + 1x3 response parse": best_us(triton_json),
        "tritonclient binary 1x4 request encode + 1x3 response parse": best_us(triton_binary),
        "python-rapidjson+numpy OIP JSON decode + encode (server side)": best_us(server_style),
    }


def main():
    swift = run_swift()
    py = run_python()
    for k, v in py.items():
        print(f"peer  {k:<62} {v:8.3f} µs/op")
    pairs = [
        ("OIP JSON 1x4 FP32: decode + encode JSON 1x3 response", "python-rapidjson+numpy OIP JSON decode + encode (server side)"),
        ("OIP JSON 1x4 FP32: decode + encode JSON 1x3 response", "tritonclient JSON 1x4 request encode + 1x3 response parse"),
        ("OIP binary 1x4 FP32: decode + encode binary 1x3 response", "tritonclient binary 1x4 request encode + 1x3 response parse"),
    ]
    for s, p in pairs:
        if s in swift and p in py:
            print(f"ratio {s} vs {p}: {py[p] / swift[s]:.1f}x faster")


if __name__ == "__main__":
    sys.exit(main())
