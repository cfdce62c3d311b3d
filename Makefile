# The two quickstart commands: `make run` and `make test`.
.PHONY: run test build bench clean

run: ## Build, install what is missing, and start the server with the demo workspace.
	scripts/setup.sh
	swift build -c release --product mlplane
	.build/release/mlplane demo

test: ## Run every test (Swift on SQLite and PostgreSQL, MLflow client end to end).
	scripts/test.sh

build:
	swift build

bench: ## The tracking throughput benchmark against the MLflow server.
	python3 bench/tracking_bench.py

clean:
	rm -rf .build .mlplane
