# ecom-synth: every user-facing command, mirrored in the README. `.ci/run` calls `make test`.
#
#   make run    generate the dataset, dbt build it on DuckDB, print a summary (the main job)
#   make test   generator, dbt integration (DuckDB, PostgreSQL, MariaDB), SQL Server compile
#               and the MySQL adapter's dbt certification suite
#   make week   a week of the shop: seven daily as-ofs built in place, with their history
#   make erd    the tables diagram (ERD) from the models' contracts: SVG, DBML and Mermaid
#   make dbt-schema  columns and types from seeds_gen/schema.py into the dbt YAML and macros
#   make live   play the shop's events into the built tables, one transaction each (live mode)
#
# The first call creates .venv from uv.lock with the machine's python3 (3.11+); nothing else
# needs installing.

PYTHON ?= python3
TARGET ?= duckdb
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir . --target $(TARGET)

export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: run test install install-spark generate seed load build snapshot week live docs erd dbt-schema lint bench bench-spark check-data clean

run: install profiles.yml
	$(BIN)/python -m seeds_gen
	$(DBT) build $(DBT_FLAGS)
	$(BIN)/python scripts/build_summary.py

# The adapter's certification suite runs as its own pytest session: dbt's adapter-test fixtures
# are a pytest plugin that must own the session's conftest.
test: install-spark profiles.yml
	$(BIN)/python -m pytest
	cd adapters/dbt-mysql && ../../$(BIN)/python -m pytest tests -p no:cacheprovider

install: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --inexact: a later `make install` keeps the spark extra that `make test` added.
$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-packages --inexact
	touch $@

# The spark extra (pyspark, a ~450 MB download, for --engine spark and tests/spark): what
# `make test` and the Spark bench need, not `make run`.
install-spark: $(VENV)/.installed-spark

$(VENV)/.installed-spark: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-packages --extra spark
	touch $(VENV)/.installed $@

# profiles.yml is local (git-ignored); the example has every credential behind env_var().
profiles.yml:
	cp profiles.yml.example profiles.yml

generate: install
	$(BIN)/python -m seeds_gen

# dbt cannot say it before parsing (the models ref the seeds): say it here. A CSV that is not
# UTF-8 makes dbt's parser fail without naming the file: scripts/check_data.py names it.
check-data:
	@test -f data/raw_row_counts.csv || { echo "no generated CSVs in data/: run \`make generate\` (python -m seeds_gen) first" >&2; exit 2; }
	@$(PYTHON) scripts/check_data.py data

seed: install profiles.yml check-data
	$(DBT) seed $(DBT_FLAGS)

# A server that cannot read data/ (remote): stream the files into its seed tables; `make build`
# then keeps them (README "Loading big datasets").
load: install profiles.yml check-data
	$(BIN)/python -m seeds_gen load --target $(TARGET) --profiles-dir .

build: install profiles.yml check-data
	$(DBT) build $(DBT_FLAGS)

# History of order status and product stock across builds (snapshots/), in <schema>_snapshots.
snapshot: install profiles.yml
	$(DBT) snapshot $(DBT_FLAGS)

# A week of the shop (README): the shop as of the end of each of the window's last 7 days,
# dbt build and dbt snapshot after each, what changed, then the life of a few orders.
# Generator options go in GEN_ARGS, e.g. `make week GEN_ARGS="--scale 0.1"`.
week: install profiles.yml
	$(BIN)/python scripts/week.py --target $(TARGET) $(GEN_ARGS)

# Live mode (README "Live mode"): the events after the instant the built tables hold, each one
# transaction. SPEED: simulated seconds per second or max (1: real time); UNTIL: where to stop
# (default: the window's end); LIVE_ARGS: any other option, e.g. `LIVE_ARGS="--quiet"`.
# e.g. `python -m seeds_gen --as-of 2025-06-01 && make build TARGET=postgres` first, then
# `make live TARGET=postgres SPEED=3600 UNTIL=2025-06-08`.
SPEED ?= 1
UNTIL ?=
live: install profiles.yml
	$(BIN)/python -m seeds_gen live --target $(TARGET) --profiles-dir . --speed $(SPEED) $(if $(UNTIL),--until '$(UNTIL)') $(LIVE_ARGS)

# From a clean clone too: the dataset is generated first when data/ has none (the docs read the
# seeds' files); the catalog lists the tables a build has made (`make run` or `make build`).
docs: install profiles.yml
	@test -f data/raw_row_counts.csv || $(BIN)/python -m seeds_gen --quiet
	$(DBT) docs generate $(DBT_FLAGS)

# The ERD on the docs front page, and as DBML and Mermaid, read from the YAML (no database);
# tests/docs/test_erd.py fails when a contract changes and these files do not.
erd: install
	$(BIN)/python -m scripts.erd

# tests/integration/test_dbt_schema.py fails when a committed file differs from what this writes.
dbt-schema: install
	$(BIN)/python -m scripts.dbt_schema

lint: install
	$(BIN)/ruff check seeds_gen tests scripts bench adapters/dbt-mysql
	$(BIN)/mypy
	$(BIN)/mypy scripts
	cd adapters/dbt-mysql && ../../$(BIN)/mypy

bench: install
	$(BIN)/python bench/generator_bench.py
	$(BIN)/python bench/seed_bench.py
	$(BIN)/python bench/build_bench.py

# --engine spark on local[2] against the single process at scale 10 (about 10 minutes).
bench-spark: install-spark
	$(BIN)/python bench/spark_bench.py

clean:
	rm -rf target logs dbt_packages *.duckdb *.duckdb.wal
