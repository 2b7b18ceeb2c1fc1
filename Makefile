# genmei — run `make help` for the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

# Offline and deterministic: no SDK credential chain may wait on a metadata server.
export AWS_EC2_METADATA_DISABLED := true
export NO_GCE_CHECK := true
export AZURE_TOKEN_CREDENTIALS := dev

.DEFAULT_GOAL := help
.PHONY: help setup demo test policy-test bench bench-peers clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/genmei: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[all,test]'
	# The embedded OPA engine: pinned, its wheel is py3-none but its metadata asks for 3.14.
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4
	@touch $@

setup: $(BIN)/genmei ## create .venv and install genmei with its pinned OPA engine

demo: setup ## `genmei scan aws` of the reference account on a local moto server; writes $(OUT)/demo/
	@rm -rf $(OUT)/demo
	$(BIN)/python -m genmei.collectors.aws.reference_account --out $(OUT)/demo --store $(OUT)/history.sqlite

test: setup ## run the Rego tests and the Python test suite (offline)
	$(BIN)/genmei policy test
	$(BIN)/python -m pytest -q

policy-test: setup ## run only the Rego _test.rego files
	$(BIN)/genmei policy test

bench: setup ## measure scaling, the account scan, the gate and the scan history (SQLite, PostgreSQL); writes bench/results.md
	$(BIN)/python bench/run.py
	$(BIN)/python bench/history.py

bench-peers: setup ## optional, not in CI: Prowler and checkov side by side with genmei (own venvs)
	$(BIN)/python bench/peers.py

clean: ## remove the virtualenv and outputs
	rm -rf $(VENV) $(OUT) .pytest_cache
