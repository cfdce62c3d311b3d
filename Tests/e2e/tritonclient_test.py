#!/usr/bin/env python3
"""End-to-end check of MLPlane's Open Inference Protocol endpoint with the real tritonclient.

Usage: python3 tritonclient_test.py URL MODEL_NAME MODEL_SAFETENSORS_PATH
  URL   host:port of the server (an http:// prefix is accepted), e.g. localhost:8080
  The model is a 2-layer MLP saved as safetensors: layers.0.weight [8,4], layers.0.bias [8],
  layers.1.weight [3,8], layers.1.bias [3] (PyTorch layout); y = relu(x W0^T + b0) W1^T + b1.
  Input 'input' FP32 [-1, 4], output 'output' FP32 [-1, 3].

Needs: pip install 'tritonclient[http]' numpy
Prints "tritonclient e2e: N passed, M failed" and exits non-zero on any failure.
"""
import json
import struct
import sys
import traceback

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

SAFETENSORS_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def load_safetensors(path):
    """Parse a safetensors file with numpy only: u64 LE header size, JSON header, raw data."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    data = blob[8 + n :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = SAFETENSORS_DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype=np.dtype(dtype).newbyteorder("<")).reshape(info["shape"])
        tensors[name] = arr.astype(np.float64)
    return tensors


def mlp(weights, x):
    h = np.maximum(x.astype(np.float64) @ weights["layers.0.weight"].T + weights["layers.0.bias"], 0.0)
    return h @ weights["layers.1.weight"].T + weights["layers.1.bias"]


class Runner:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, fn):
        try:
            fn()
            self.passed += 1
            print(f"PASS {name}")
        except Exception as e:  # noqa: BLE001 - report every failure and go on
            self.failed += 1
            print(f"FAIL {name}: {e}")
            traceback.print_exc(limit=2)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    url, model, weights_path = sys.argv[1], sys.argv[2], sys.argv[3]
    for prefix in ("http://", "https://"):
        if url.startswith(prefix):
            url = url[len(prefix):]
    url = url.rstrip("/")
    weights = load_safetensors(weights_path)
    for name, shape in [("layers.0.weight", (8, 4)), ("layers.0.bias", (8,)), ("layers.1.weight", (3, 8)), ("layers.1.bias", (3,))]:
        assert weights[name].shape == shape, f"{name}: shape {weights[name].shape}, expected {shape}"

    client = httpclient.InferenceServerClient(url=url, verbose=False)
    rng = np.random.default_rng(1234)
    x = rng.standard_normal((5, 4)).astype(np.float32)
    expected = mlp(weights, x)
    r = Runner()

    def expect(cond, msg):
        if not cond:
            raise AssertionError(msg)

    r.check("server live", lambda: expect(client.is_server_live(), "is_server_live() is False"))
    r.check("server ready", lambda: expect(client.is_server_ready(), "is_server_ready() is False"))
    r.check("model ready", lambda: expect(client.is_model_ready(model), f"is_model_ready({model!r}) is False"))

    def metadata():
        md = client.get_model_metadata(model)
        expect(md["name"] == model, f"metadata name {md.get('name')!r}")
        ins = {t["name"]: t for t in md["inputs"]}
        outs = {t["name"]: t for t in md["outputs"]}
        expect("input" in ins and "output" in outs, f"metadata tensors {list(ins)} / {list(outs)}")
        expect(ins["input"]["datatype"] == "FP32", f"input datatype {ins['input']['datatype']}")
        expect(outs["output"]["datatype"] == "FP32", f"output datatype {outs['output']['datatype']}")
        expect([int(d) for d in ins["input"]["shape"]] == [-1, 4], f"input shape {ins['input']['shape']}")
        expect([int(d) for d in outs["output"]["shape"]] == [-1, 3], f"output shape {outs['output']['shape']}")

    r.check("model metadata", metadata)

    def infer(binary_in, binary_out, request_outputs=True):
        inp = httpclient.InferInput("input", list(x.shape), "FP32")
        inp.set_data_from_numpy(x, binary_data=binary_in)
        outputs = [httpclient.InferRequestedOutput("output", binary_data=binary_out)] if request_outputs else None
        result = client.infer(model, [inp], outputs=outputs, request_id="e2e-1")
        got = result.as_numpy("output")
        expect(got is not None, "no 'output' in the response")
        expect(got.shape == (5, 3), f"output shape {got.shape}")
        err = float(np.max(np.abs(got.astype(np.float64) - expected)))
        expect(np.allclose(got, expected, atol=1e-4, rtol=1e-4), f"max abs error {err:.3g} exceeds 1e-4")
        param = (result.get_output("output") or {}).get("parameters") or {}
        expect(("binary_data_size" in param) == binary_out, f"binary output expected {binary_out}, output entry {result.get_output('output')}")
        resp = result.get_response()
        expect(resp.get("id") in (None, "e2e-1"), f"response id {resp.get('id')!r}")

    r.check("infer binary in, binary out", lambda: infer(True, True))
    r.check("infer JSON in, JSON out", lambda: infer(False, False))
    r.check("infer binary in, JSON out", lambda: infer(True, False))
    r.check("infer with no outputs named (binary_data_output default)", lambda: infer(True, True, request_outputs=False))

    def wrong_shape(binary):
        bad = rng.standard_normal((5, 3)).astype(np.float32)
        inp = httpclient.InferInput("input", list(bad.shape), "FP32")
        inp.set_data_from_numpy(bad, binary_data=binary)
        try:
            client.infer(model, [inp])
        except InferenceServerException as e:
            msg = e.message() or ""
            expect("input" in msg, f"error message does not name the input: {msg!r}")
            expect(e.status() is None or str(e.status()).startswith("4"), f"status {e.status()} is not 4xx")
            return
        raise AssertionError("wrong-shape input [5, 3] was accepted")

    r.check("wrong shape [5, 3] rejected naming 'input' (binary)", lambda: wrong_shape(True))
    r.check("wrong shape [5, 3] rejected naming 'input' (JSON)", lambda: wrong_shape(False))

    print(f"tritonclient e2e: {r.passed} passed, {r.failed} failed")
    sys.exit(1 if r.failed else 0)


if __name__ == "__main__":
    main()
