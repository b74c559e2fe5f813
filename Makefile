# The two quick-start commands: `make console` (run the bot locally) and `make test`.
# Installs come from the lockfiles in requirements/ (scripts/lock writes them from pyproject.toml):
# `make console` installs only what the bot needs to run; `make test` adds the test tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
ML := $(VENV)/.installed-ml

.PHONY: console test lint bench install install-dev install-ml lock lock-check clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("studybot needs Python 3.11 or newer (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): requirements/runtime.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(DEV): requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@ $(RUNTIME)

# PyTorch and TensorFlow, for the question bank's code checks (CI installs them)
$(ML): requirements/ml.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/ml.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@ $(DEV) $(RUNTIME)

install: $(RUNTIME)
install-dev: $(DEV)
install-ml: $(ML)

console: $(RUNTIME)
	$(BIN)/studybot console

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/studybot questions check
	$(BIN)/pytest

bench: $(DEV)
	$(BIN)/python -m bench.answers
	$(BIN)/python -m bench.leaderboard
	$(BIN)/python -m bench.discord_fanout
	$(BIN)/python -m bench.slack_fanout
	$(BIN)/python -m bench.pairing
	$(BIN)/python -m bench.grading
	$(BIN)/python -m bench.stats_card
	$(BIN)/python -m bench.reviews

lock:
	scripts/lock

lock-check:
	scripts/lock --check

clean:
	rm -rf $(VENV) .venv-tools .pytest_cache .ruff_cache .mypy_cache
