# tarjama: `make translate FILE=samples/naas-coalition-bases.ar.txt` and `make test` do all the set-up.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# CPU machines get the CPU build of torch (a few hundred MB, not several GB of CUDA).
TORCH_VERSION ?= 2.13.0
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
EXTRAS ?= dev,fast,batch,ray

FILE   ?= samples/naas-coalition-bases.ar.txt
ARGS   ?=
CONFIG ?= configs/batch-example.yaml

.PHONY: install translate test lint eval bench batch browser clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(MAKE) --no-print-directory torch
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS)]"
	@touch $(STAMP)

.PHONY: torch
torch:
	@if $(BIN)/python -c "import torch" 2>/dev/null; then :; \
	elif command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then \
		echo "installing torch (CUDA build: this machine has an NVIDIA GPU)"; \
		$(BIN)/python -m pip install -q "torch>=2.4"; \
	else \
		echo "installing torch $(TORCH_VERSION), CPU build"; \
		$(BIN)/python -m pip install -q "torch==$(TORCH_VERSION)+cpu" 2>/dev/null \
		|| $(BIN)/python -m pip install -q --index-url $(TORCH_CPU_INDEX) "torch==$(TORCH_VERSION)"; \
	fi

translate: install
	$(BIN)/tarjama translate $(FILE) $(ARGS)

# Debian's chromium checks the HTML view in a real browser; installed here when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  ( echo "installing chromium for the HTML test"; \
	    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) 2>&1 | tail -2 ) || true

test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check pipeline tests eval benchmarks

eval: install
	$(BIN)/python -m eval $(ARGS)

bench: install
	$(BIN)/python benchmarks/segment_speed.py
	$(BIN)/python benchmarks/translate_speed.py
	$(BIN)/python benchmarks/corpus_batch.py

batch: install
	$(BIN)/tarjama batch $(CONFIG) $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
