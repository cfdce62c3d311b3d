#!/usr/bin/env python3
"""Writes a small MLP model file in MLPlane's format (safetensors + `mlplane.model` card),
numpy only: usage make_mlp.py OUT.safetensors [--sizes 4,8,3] [--seed 0]."""
import json
import struct
import sys

import numpy as np


def write_mlp(path, sizes=(4, 8, 3), seed=0, activation="relu"):
    rng = np.random.default_rng(seed)
    tensors = {}
    for i in range(len(sizes) - 1):
        bound = 1 / np.sqrt(sizes[i])
        tensors[f"layers.{i}.weight"] = rng.uniform(-bound, bound, (sizes[i + 1], sizes[i])).astype("<f4")
        tensors[f"layers.{i}.bias"] = rng.uniform(-bound, bound, (sizes[i + 1],)).astype("<f4")
    card = {"kind": "mlp", "sizes": list(sizes), "activation": activation, "input": "input", "output": "output"}
    header, offset, blobs = {"__metadata__": {"mlplane.model": json.dumps(card)}}, 0, []
    for name in sorted(tensors):
        data = tensors[name].tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    return tensors


if __name__ == "__main__":
    sizes = tuple(int(x) for x in sys.argv[sys.argv.index("--sizes") + 1].split(",")) if "--sizes" in sys.argv else (4, 8, 3)
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    write_mlp(sys.argv[1], sizes, seed)
