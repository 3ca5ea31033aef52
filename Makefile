# corridor — `make run` plans on the bundled network, `make test` lints and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run` needs only the server and plots: its own venv, so serving never installs dev tools
RUN_VENV := .venv-run
RUN_STAMP := $(RUN_VENV)/.installed

.PHONY: run test lint bench bench-scale install clean docs-images readme-figures fuzz audit lock soak mutation mutation-report

# installs exactly the pinned versions of requirements/dev.txt (scripts/lock.sh writes it from
# pyproject.toml's ranges)
$(STAMP): pyproject.toml requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/dev.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

PORT ?= 8000

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(RUN_VENV)
	$(RUN_VENV)/bin/pip install --quiet --upgrade pip
	$(RUN_VENV)/bin/pip install --quiet -e '.[server,plot]'
	touch $(RUN_STAMP)

# the API and the web planner on the bundled network, saved work in SQLite in the user's data folder
run: $(RUN_STAMP)
	$(RUN_VENV)/bin/corridor serve --host 127.0.0.1 --port $(PORT)

# refresh the README's pictures (the browser tests write them to build/ otherwise)
docs-images: $(STAMP)
	CORRIDOR_DOCS_IMAGES=1 $(BIN)/pytest -q tests/web -k saves_the_shipment

# the README's network figures, regenerated into build/readme-figures.md to paste
readme-figures: $(STAMP)
	$(BIN)/python scripts/readme_figures.py build/readme-figures.md

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# analyses on generated networks of 1k-30k nodes, each case in a subprocess with a time limit
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/run.py --sections scale

# the fuzz suite with many more cases than CI's: CORRIDOR_FUZZ_EXAMPLES times each (CI: 1, about 2 min)
FUZZ_EXAMPLES ?= 10
fuzz: $(STAMP)
	CORRIDOR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz -q

# a loopback soak of `corridor serve --workers 2` on a throwaway PostgreSQL (SQLite without one):
# slowloris, floods, job storms, SIGKILL of a worker, the server and the database; fails unless
# health < 100 ms, memory flat and nothing acknowledged lost (docs/soak.md). SOAK_MINUTES of load
SOAK_MINUTES ?= 30
soak: $(STAMP)
	$(BIN)/python scripts/soak.py --minutes $(SOAK_MINUTES) --out build/soak

# mutation testing (cosmic-ray operators, scripts/mutation.py) over routing, reliability, scenarios
# and assignment: each mutant runs its package's tests with -x and a time limit, in a copy of the
# tree under build/mutation; an interrupted run resumes. All mutants take hours: sample with
# MUTATION_SAMPLE=200, pick packages with MUTATION_PACKAGES="reliability assignment",
# MUTATION_ARGS=--retest re-runs the survivors against the current tests (--retest-timeouts: the
# timeouts too, e.g. with --timeout 900). docs/mutation.md
MUTATION_PACKAGES ?= routing reliability scenarios assignment
MUTATION_SAMPLE ?=
MUTATION_SEED ?= 1
MUTATION_JOBS ?= 1
MUTATION_ARGS ?=
mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py $(foreach p,$(MUTATION_PACKAGES),--package $(p)) \
		$(if $(MUTATION_SAMPLE),--sample $(MUTATION_SAMPLE)) --seed $(MUTATION_SEED) \
		--jobs $(MUTATION_JOBS) $(MUTATION_ARGS)
	$(BIN)/python scripts/mutation_report.py --equivalent docs/mutation.md

mutation-report: $(STAMP)
	$(BIN)/python scripts/mutation_report.py --equivalent docs/mutation.md --survivors

# known vulnerabilities in the pinned dependencies (needs PyPI's JSON API); every package must
# be audited (--strict)
audit: $(STAMP)
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
		-r requirements/dev.txt -r requirements/server.txt

# re-pin requirements/*.txt after a dependency changes in pyproject.toml
lock:
	scripts/lock.sh

clean:
	rm -rf $(VENV) $(RUN_VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
