# Two commands: `make run` and `make test`. Both create .venv with the pinned set first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test bench check report clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/flakturm ingest seeds/articles --warehouse warehouse/flakturm.duckdb

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench.run

check: $(STAMP)
	$(BIN)/flakturm check --warehouse warehouse/flakturm.duckdb

report: $(STAMP)
	$(BIN)/flakturm report --warehouse warehouse/flakturm.duckdb --out warehouse/report.html

clean:
	rm -rf $(VENV) .prefect warehouse/*.duckdb* warehouse/.prefect
