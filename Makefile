# corridor — `make run` plans on the bundled network, `make test` lints and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install clean fuzz audit lock

# installs exactly the pinned versions of requirements/dev.txt (scripts/lock.sh writes it from
# pyproject.toml's ranges)
$(STAMP): pyproject.toml requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/dev.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

PORT ?= 8000

# the API and the web planner on the bundled network, saved work in SQLite in the user's data folder
run: $(STAMP)
	$(BIN)/corridor serve --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# the fuzz suite with many more cases than CI's: CORRIDOR_FUZZ_EXAMPLES times each (CI: 1, about 2 min)
FUZZ_EXAMPLES ?= 10
fuzz: $(STAMP)
	CORRIDOR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz -q

# known vulnerabilities in the pinned dependencies (needs PyPI's JSON API); every package must
# be audited (--strict)
audit: $(STAMP)
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
		-r requirements/dev.txt -r requirements/server.txt

# re-pin requirements/*.txt after a dependency changes in pyproject.toml
lock:
	scripts/lock.sh

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
