#!/usr/bin/env python3
"""Generate Open Inference Protocol fixtures with the real tritonclient, and check our responses.

1. Request fixtures: builds request bodies with
   `tritonclient.http.InferenceServerClient.generate_request_body` (the code path `infer` uses)
   and writes, per case, `<case>.body` (raw body bytes) and `<case>.json` (expected decode:
   header length, id, binary_data_output, inputs with values, requested outputs) into
   Tests/InferenceCodecTests/Fixtures. BYTES values are stored base64, floats as float64 text
   of the exact float32/float16 value.
2. Response check: builds InferenceCodecBench and runs `--write-responses Fixtures` (the Swift
   encoder writes response_{binary,json,mixed}.body + .meta.json and response_error.body), then parses them with
   `InferenceServerClient.parse_response_body` (= InferResult.from_response_body) and compares
   `as_numpy` with the values in RESPONSE_EXPECTED below (the same values the Swift side encodes).

Usage: python3 bench/make_oip_fixtures.py            # write request fixtures, check responses
       pip install 'tritonclient[http]' numpy       # prerequisites
"""
import base64
import json
import os
import subprocess
import sys

import numpy as np
import tritonclient.http as httpclient

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIX = os.path.join(ROOT, "Tests", "InferenceCodecTests", "Fixtures")


def make_input(name, arr, datatype, binary):
    inp = httpclient.InferInput(name, list(arr.shape), datatype)
    inp.set_data_from_numpy(arr, binary_data=binary)
    return inp


def expected_values(arr, datatype):
    flat = arr.flatten()
    if datatype == "BYTES":
        return [base64.b64encode(x if isinstance(x, bytes) else str(x).encode()).decode() for x in flat]
    if datatype == "BOOL":
        return [bool(x) for x in flat]
    if datatype in ("FP16", "FP32", "FP64"):
        return [float(x) for x in flat]
    return [int(x) for x in flat]


def write_case(name, tensors, outputs=None, request_id="", parameters=None):
    """tensors: list of (name, numpy array, datatype, binary)."""
    inputs = [make_input(n, a, d, b) for (n, a, d, b) in tensors]
    outs = None
    if outputs is not None:
        outs = [httpclient.InferRequestedOutput(o, binary_data=b) for (o, b) in outputs]
    body, json_size = httpclient.InferenceServerClient.generate_request_body(
        inputs, outputs=outs, request_id=request_id, parameters=parameters
    )
    if isinstance(body, str):
        body = body.encode()
    with open(os.path.join(FIX, name + ".body"), "wb") as f:
        f.write(body)
    expect = {
        "header_length": json_size,
        "id": request_id or None,
        "binary_data_output": outputs is None,
        "inputs": [
            {"name": n, "datatype": d, "shape": list(a.shape), "values": expected_values(a, d)}
            for (n, a, d, _) in tensors
        ],
        "outputs": [{"name": o, "binary": b} for (o, b) in (outputs or [])],
    }
    with open(os.path.join(FIX, name + ".json"), "w") as f:
        json.dump(expect, f, indent=1)
    print(f"wrote {name}: {len(body)} bytes, header length {json_size}")


def write_requests():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3)).astype(np.float32)
    write_case("oip_json_fp32", [("x", x, "FP32", False)], outputs=[("y", False)], request_id="r1")
    write_case("oip_binary_fp32", [("x", x, "FP32", True)], outputs=[("y", True)])
    words = np.array([b"hello", b"", bytes([0xFF, 0x00, 0x7F]), "naïve ✓".encode()], dtype=np.object_).reshape(2, 2)
    write_case(
        "oip_binary_mixed",
        [
            ("a", rng.standard_normal((1, 4)).astype(np.float32), "FP32", True),
            ("b", np.array([[1, -2], [2**62 + 1, -(2**63)]], dtype=np.int64), "INT64", True),
            ("c", words, "BYTES", True),
            ("d", np.array([[True, False, True]]), "BOOL", True),
            ("e", np.array([1.5, -2.0, 65504.0, 6.0e-8, 0.1], dtype=np.float16), "FP16", True),
            ("f", np.array([0, 255, 7], dtype=np.uint8), "UINT8", True),
            ("g", np.array([-128, 127], dtype=np.int8), "INT8", True),
            ("h", np.array([1e300, -0.5], dtype=np.float64), "FP64", True),
            ("i", np.array([4294967295, 0], dtype=np.uint32), "UINT32", True),
            ("j", np.array([-32768, 65535 // 2], dtype=np.int16), "INT16", True),
        ],
        request_id="req-7",
    )
    texts = np.array(["hello", "naïve ✓", "quote\" back\\slash\n"], dtype=np.object_)
    write_case(
        "oip_json_mixed",
        [
            ("a", rng.standard_normal((2, 2)).astype(np.float32), "FP32", False),
            ("b", np.array([[1, -2, 2**62 + 1]], dtype=np.int64), "INT64", False),
            ("c", texts, "BYTES", False),
            ("d", np.array([[True], [False]]), "BOOL", False),
            ("e", np.array([1.5, -2.0, 0.1], dtype=np.float16), "FP16", False),
            ("h", np.array([1e300, 0.1], dtype=np.float64), "FP64", False),
        ],
        outputs=[("out1", True), ("out2", False)],
        request_id="json-2",
    )
    write_case(
        "oip_mixed_modes",
        [
            ("p", np.arange(6, dtype=np.float32).reshape(3, 2), "FP32", False),
            ("q", np.arange(5, dtype=np.int32), "INT32", True),
            ("r", np.array([b"xy"], dtype=np.object_), "BYTES", True),
        ],
        outputs=[("z", True)],
    )


# The outputs the Swift side encodes into Fixtures/response_*.body (see OIPResponseFixtureTests).
RESPONSE_EXPECTED = {
    "probs": np.array([[0.1, 0.2, 0.7], [1.0, -2.5, 3.25]], dtype=np.float32),
    "labels": np.array([3, -9007199254740993], dtype=np.int64),
    "names": np.array([b"cat", bytes([0xFF, 0x00])], dtype=np.object_),
    "mask": np.array([True, False, True]),
    "half": np.array([1.5, -2.0, 65504.0], dtype=np.float16),
}


def write_responses():
    """Regenerate the golden response bodies with the Swift encoder (InferenceCodecBench)."""
    try:
        subprocess.run(["nice", "-n", "10", "swift", "build", "-c", "release", "--product", "InferenceCodecBench"],
                       cwd=ROOT, check=True, capture_output=True)
        subprocess.run([os.path.join(ROOT, ".build/release/InferenceCodecBench"), "--write-responses", FIX], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"could not run the Swift encoder ({e}); checking the committed response bodies")


def check_responses():
    checked = 0
    for mode in ("binary", "json", "mixed"):
        path = os.path.join(FIX, f"response_{mode}.body")
        if not os.path.exists(path):
            print(f"skip {path}: not generated yet (run the Swift tests first)")
            continue
        body = open(path, "rb").read()
        meta = json.load(open(os.path.join(FIX, f"response_{mode}.meta.json")))
        result = httpclient.InferenceServerClient.parse_response_body(body, header_length=meta["header_length"])
        resp = result.get_response()
        assert resp["model_name"] == "mlp" and resp["model_version"] == "3" and resp["id"] == "req-9", resp
        for name, want in RESPONSE_EXPECTED.items():
            if mode == "json" and name == "names":
                # JSON BYTES are UTF-8 strings: the non-UTF-8 element cannot round-trip; check the first.
                got = result.as_numpy(name)
                assert got.shape == want.shape and got[0] in (b"cat", "cat"), (name, got)
                checked += 1
                continue
            got = result.as_numpy(name)
            assert got is not None, f"{mode}: output {name} missing"
            assert got.shape == want.shape, (mode, name, got.shape, want.shape)
            if want.dtype == np.object_:
                assert list(got.flatten()) == list(want.flatten()), (mode, name, got, want)
            else:
                assert got.dtype == want.dtype or mode == "json", (mode, name, got.dtype, want.dtype)
                assert np.array_equal(got.astype(want.dtype), want), (mode, name, got, want)
            checked += 1
        print(f"tritonclient parsed response_{mode}.body: ok")
    # Error body as tritonclient reads it (_get_error: json.loads(body)["error"]).
    err_path = os.path.join(FIX, "response_error.body")
    if os.path.exists(err_path):
        import rapidjson

        msg = rapidjson.loads(open(err_path, "rb").read().decode("utf-8"))["error"]
        assert "input 'x'" in msg, msg
        checked += 1
        print("tritonclient-style error body: ok")
    return checked


if __name__ == "__main__":
    os.makedirs(FIX, exist_ok=True)
    write_requests()
    write_responses()
    n = check_responses()
    print(f"response checks: {n}")
