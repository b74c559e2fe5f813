# The two quick-start commands: `make console` (run the bot locally) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: console test lint bench install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("studybot needs Python 3.11 or newer (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

console: $(STAMP)
	$(BIN)/studybot console

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/studybot questions check
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench.answers
	$(BIN)/python -m bench.leaderboard
	$(BIN)/python -m bench.discord_fanout
	$(BIN)/python -m bench.slack_fanout
	$(BIN)/python -m bench.pairing

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
