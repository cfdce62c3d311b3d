#!/usr/bin/env python3
"""VectorIndex benchmark: our HNSW / quantized indexes vs hnswlib and FAISS on the same data, same run.

Builds VectorIndexBench in release mode, runs it (JSON), then runs hnswlib and faiss-cpu (if
importable; `pip install hnswlib faiss-cpu`) with the same M / ef_construction / ef sweep,
single-thread search, and prints one table plus ratios.

Usage: python3 bench/vectorindex_bench.py [--data DIR] [--threads 1] [--quant none,int8,binary]
"""
import argparse, json, os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Benchmarks")


def ours(args, quant, native=False):
    exe = os.path.join(PKG, ".build", "native", "release", "VectorIndexBench") if native else os.path.join(PKG, ".build", "release", "VectorIndexBench")
    # "int8-norescore": int8 codes only, no exact re-scoring (like FAISS HNSW-SQ8).
    rescore = "none" if quant.endswith("-norescore") else "exact"
    cmd = ["nice", "-n", "10", exe, "--base", args.base, "--queries", args.queries, "--ground-truth", args.gt,
           "--metric", "ip", "--k", str(args.k), "--m", str(args.m), "--ef-construction", str(args.efc),
           "--ef", ",".join(map(str, args.efs)), "--quantization", quant.replace("-norescore", ""),
           "--threads", str(args.threads), "--oversample", str(args.oversample), "--rescore", rescore, "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def recall(found, gt, k):
    import numpy as np
    hits = 0
    for i, row in enumerate(found):
        hits += len(set(row[:k].tolist()) & set(gt[i, :k].tolist()))
    return hits / (len(found) * k)


def peer_hnswlib(args, base, queries, gt):
    import hnswlib
    p = hnswlib.Index(space="ip", dim=base.shape[1])
    p.init_index(max_elements=base.shape[0], ef_construction=args.efc, M=args.m, random_seed=100)
    p.set_num_threads(args.threads)
    t = time.perf_counter()
    p.add_items(base, list(range(base.shape[0])))
    build = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "h.bin")
        p.save_index(path)
        size = os.path.getsize(path)
    p.set_num_threads(1)
    p.set_ef(args.efs[0])
    p.knn_query(queries, k=args.k)   # one untimed warm-up pass, as for every system
    res = []
    for ef in args.efs:
        p.set_ef(ef)
        t = time.perf_counter()
        labels, _ = p.knn_query(queries, k=args.k)
        dt = time.perf_counter() - t
        res.append({"ef": ef, "recall_at_k": recall(labels, gt, args.k), "qps": len(queries) / dt})
    return {"build_seconds": build, "index_bytes": size, "results": res}


def peer_faiss(args, base, queries, gt, sq8):
    import faiss
    d = base.shape[1]
    faiss.omp_set_num_threads(args.threads)
    if sq8:
        idx = faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_8bit, args.m, faiss.METRIC_INNER_PRODUCT)
    else:
        idx = faiss.IndexHNSWFlat(d, args.m, faiss.METRIC_INNER_PRODUCT)
    idx.hnsw.efConstruction = args.efc
    t = time.perf_counter()
    if sq8:
        idx.train(base)
    idx.add(base)
    build = time.perf_counter() - t
    size = len(faiss.serialize_index(idx))
    faiss.omp_set_num_threads(1)
    idx.hnsw.efSearch = args.efs[0]
    idx.search(queries, args.k)   # one untimed warm-up pass, as for every system
    res = []
    for ef in args.efs:
        idx.hnsw.efSearch = ef
        t = time.perf_counter()
        _, labels = idx.search(queries, args.k)
        dt = time.perf_counter() - t
        res.append({"ef": ef, "recall_at_k": recall(labels, gt, args.k), "qps": len(queries) / dt})
    return {"build_seconds": build, "index_bytes": size, "results": res}


def peer_flat(args, base, queries, gt, batched=True):
    """FAISS exact inner-product scan. Batched: all queries in one call (FAISS turns that into
    one BLAS GEMM). Per query: one call per query, the way the HNSW indexes are searched and a
    service answers single requests (FAISS then scans with its SIMD kernel)."""
    import faiss
    import numpy as np
    faiss.omp_set_num_threads(1)
    idx = faiss.IndexFlatIP(base.shape[1])
    idx.add(base)
    t = time.perf_counter()
    if batched:
        _, labels = idx.search(queries, args.k)
    else:
        labels = np.vstack([idx.search(queries[i:i + 1], args.k)[1] for i in range(len(queries))])
    dt = time.perf_counter() - t
    return {"build_seconds": 0.0, "index_bytes": base.nbytes, "results": [{"ef": 0, "recall_at_k": recall(labels, gt, args.k), "qps": len(queries) / dt}]}


def best_qps(r, floor=0.95):
    ok = [p["qps"] for p in r["results"] if p["recall_at_k"] >= floor]
    return max(ok) if ok else None


def main():
    ap = argparse.ArgumentParser()
    # shared/ sits beside the repository (../shared) or, from a wip folder, two levels up.
    candidates = [os.path.join(PKG, up, "shared", "data", "vectors", "docstrings-minilm") for up in ("..", os.path.join("..", ".."))]
    ap.add_argument("--data", default=next((c for c in candidates if os.path.isdir(c)), candidates[0]))
    ap.add_argument("--threads", type=int, default=1, help="build threads (search is always 1 thread)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--m", type=int, default=16)
    ap.add_argument("--efc", type=int, default=200)
    ap.add_argument("--efs", default="16,32,64,128,256")
    ap.add_argument("--oversample", type=int, default=4)
    ap.add_argument("--quant", default="none,int8,binary",
                    help="comma-separated: none, int8, int8-norescore (codes only, as FAISS SQ8), binary, pq")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--native", action="store_true",
                    help="also build with -Xswiftc -target-cpu -Xswiftc native (as pip builds hnswlib with -march=native) and report it as ours-native-*")
    args = ap.parse_args()
    args.efs = [int(x) for x in args.efs.split(",")]
    data = os.path.abspath(args.data)
    args.base, args.queries, args.gt = (os.path.join(data, f) for f in ("base.npy", "queries.npy", "gt_ip_k100.npy"))
    if not os.path.exists(args.base):
        print(f"data not found under {data}", file=sys.stderr)
        return 2
    if not args.no_build:
        subprocess.run(["nice", "-n", "10", "swift", "build", "-c", "release", "--product", "VectorIndexBench"], cwd=PKG, check=True)
        if args.native:
            subprocess.run(["nice", "-n", "10", "swift", "build", "-c", "release", "--product", "VectorIndexBench",
                            "--scratch-path", os.path.join(PKG, ".build", "native"), "-Xswiftc", "-target-cpu", "-Xswiftc", "native"], cwd=PKG, check=True)

    try:
        import numpy as np
        base = np.load(args.base).astype(np.float32)
        queries = np.load(args.queries).astype(np.float32)
        gt = np.load(args.gt)
    except ImportError:
        base = None
    peers = []
    if base is not None:
        peers = [("hnswlib", lambda: peer_hnswlib(args, base, queries, gt)),
                 ("faiss-HNSWFlat", lambda: peer_faiss(args, base, queries, gt, False)),
                 ("faiss-HNSW-SQ8", lambda: peer_faiss(args, base, queries, gt, True)),
                 ("faiss-flat-exact", lambda: peer_flat(args, base, queries, gt)),
                 ("faiss-flat-per-query", lambda: peer_flat(args, base, queries, gt, batched=False))]
    # Interleave ours and the peers so that load drift on a shared machine hits both alike.
    runs = {}
    quants = args.quant.split(",")
    for i in range(max(len(quants), len(peers))):
        if i < len(peers):
            name, fn = peers[i]
            try:
                runs[name] = fn()
            except ImportError as e:
                print(f"{name}: not installed ({e}); skipped", file=sys.stderr)
        if i < len(quants):
            runs[f"ours-{quants[i]}"] = ours(args, quants[i])
            if args.native:
                runs[f"ours-native-{quants[i]}"] = ours(args, quants[i], native=True)

    print(f"\ndata={data} base={args.base} k={args.k} M={args.m} efC={args.efc} build threads={args.threads}, search 1 thread")
    print(f"{'system':18s} {'build s':>8s} {'index MB':>9s}  " + "  ".join(f"ef={e}: rec / qps".rjust(22) for e in args.efs))
    for name, r in runs.items():
        cells = "  ".join(f"{p['recall_at_k']:.4f} / {p['qps']:8.0f}".rjust(22) for p in r["results"])
        print(f"{name:18s} {r['build_seconds']:8.2f} {r['index_bytes'] / 1e6:9.2f}  {cells}")
    print()
    ref = runs.get("hnswlib")
    for name, r in runs.items():
        b = best_qps(r)
        line = f"{name:18s} best QPS at recall@{args.k}>=0.95: {b:.0f}" if b else f"{name:18s} never reaches recall 0.95"
        if ref and b and best_qps(ref):
            line += f"  (x{b / best_qps(ref):.2f} hnswlib"
            if "faiss-HNSW-SQ8" in runs and best_qps(runs["faiss-HNSW-SQ8"]):
                line += f", x{b / best_qps(runs['faiss-HNSW-SQ8']):.2f} faiss-SQ8"
            for flat in ("faiss-flat-per-query", "faiss-flat-exact"):
                if flat in runs and r["build_seconds"] > 0:
                    line += f", x{b / runs[flat]['results'][0]['qps']:.1f} {flat}"
            line += f"; build x{r['build_seconds'] / ref['build_seconds']:.2f} of hnswlib's time" if r["build_seconds"] > 0 else ""
            line += ")"
        print(line)
    if "ours-none" in runs:
        fl = runs["ours-none"]["index_bytes"]
        for name in ("ours-binary", "ours-pq", "ours-native-binary"):
            if name in runs:
                print(f"{name}: index memory {runs[name]['index_bytes']} B = 1/{fl / runs[name]['index_bytes']:.1f} of float HNSW ({fl} B)")
    print("\nJSON " + json.dumps(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
