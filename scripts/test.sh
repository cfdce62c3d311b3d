#!/usr/bin/env bash
# The whole test suite: Swift tests on SQLite and on a real PostgreSQL server, then the
# real MLflow client against the real binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
MLPLANE_REQUIRE_POSTGRES=1 scripts/with-postgres.sh swift test --skip-build
scripts/mlflow-e2e.sh .build/debug/mlplane
