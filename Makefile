# `make test` sets up .venv on a bare machine (numpy, numba, torch 2.13.0 CPU, pytest) and runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup test lint example

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

lint: setup
	$(BIN)/ruff check minigrad reference tests examples

example: setup
	$(BIN)/python examples/autograd_cell.py
	@echo "--- the same cell on PyTorch:"
	$(BIN)/python reference/autograd_cell.py
