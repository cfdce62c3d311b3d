#!/usr/bin/env bash
# Builds the bf16 GEMM benchmark in release mode and runs it: PackedBFloat16Matrix (AVX512-BF16)
# against OpenBLAS cblas_sgemm (the peer, linked in the same executable through COpenBLAS) on the
# MiniLM/BERT Linear shapes, single-threaded and 2-way split, printing both GFLOP/s and the ratio.
# Usage: bench/bf16gemm_bench.sh [runs=20] [threads=1,2]
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
nice -n 10 swift build -c release --product BF16GEMMBench
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n 10 "$(swift build -c release --show-bin-path)/BF16GEMMBench" "${1:-20}" "${2:-1,2}"
