# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
REPO ?= .
OUT ?= reports/$(notdir $(abspath $(REPO)))
STAMP := $(VENV)/.installed

# The peers of `make bench` come from PyPI into a venv of their own: AgentReady needs
# Python >= 3.12 (pyenv's here), readiness's venv may be older.
PEERS := bench/.peers
PEERS_STAMP := $(PEERS)/.installed
PEER_PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 \
	$$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null && { echo $$p; break; }; \
	done)
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: run test lint typecheck pytest bench install install-local browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first, pinned: that pin takes the CPU build on this disk; unpinned pulls CUDA.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The real local model (SmolLM2 135M GGUF served by llama.cpp): compiles for ~3.5 minutes.
# AMX/AVX-512 off: llama.cpp's AMX kernels crash on batched prompts where AMX is not enabled.
# --no-cache-dir: pip's wheel cache ignores CMAKE_ARGS and would hand back a wheel built
# with other flags (seen here: a cached AMX build that crashed on the first prompt).
install-local: $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF" $(BIN)/pip install --quiet --no-cache-dir -e '.[dev,local]'

run: $(STAMP)
	$(BIN)/readiness assess $(REPO) --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests evals
	$(BIN)/ruff format --check pipeline tests evals

typecheck: $(STAMP)
	$(BIN)/mypy pipeline

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

# Chromium comes from Debian (the dashboard tests open index.html in it).
test: lint typecheck browser pytest

# Every figure of BENCHMARKS.md, side by side in one run (6-12 minutes here); results land in
# bench/results/*.json. The bench extra adds onnx for the encoder trial.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

$(PEERS_STAMP):
	@test -n "$(PEER_PYTHON)" || { echo "make bench: AgentReady needs Python >= 3.12;" \
		"install one (pyenv install 3.12) or pass PEER_PYTHON=/path/to/python3.12"; exit 2; }
	$(PEER_PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/pip install --quiet agentready==2.52.3 'repo-review[cli]==1.3.0' \
		sp-repo-review==2026.8.14
	touch $(PEERS_STAMP)

bench: $(BENCH_STAMP) $(PEERS_STAMP)
	$(BIN)/python -m evals.bench --peers $(PEERS)

# Debian's chromium for the dashboard tests (tests/batch): never a downloaded browser.
browser:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium chromium-driver)

clean:
	rm -rf $(VENV) reports
