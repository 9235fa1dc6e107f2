# `make compare` sets up .venv on a bare machine and runs the seed's programs on minigrad and PyTorch side by side.
# `make test` sets up .venv (numpy, numba, torch 2.13.0 CPU, pytest, ...) and runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Stamp of the last install: `make test` reinstalls only when pyproject.toml is newer (or .venv is new).
INSTALLED := $(VENV)/.installed

.PHONY: setup test lint compare

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(INSTALLED)

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

lint: setup
	$(BIN)/ruff check minigrad reference tests examples benchmarks

compare: setup
	$(BIN)/minigrad-compare autograd_cell
	@echo
	$(BIN)/minigrad-compare linear_regression
	@echo
	$(BIN)/minigrad-compare logistic_regression
