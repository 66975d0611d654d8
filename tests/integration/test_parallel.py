"""Extraction spread over worker processes or a Dask cluster gives the same warehouse as one process."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from bench.run import write_corpus
from flows.parallel import MIN_ARTICLES_FOR_POOL
from tests.conftest import run_cli

TABLES = ("articles", "mentions", "claims", "deployments", "quotes", "systems", "sites", "actors")
RUN_SPECIFIC = re.compile(r"run|_utc$")  # run ids and timestamps differ between runs by design
N_GENERATED = 600


@pytest.fixture(scope="module")
def dask_address(prefect_api) -> str:
    """A two-process local cluster; its workers inherit the session's Prefect API from the environment."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def table_rows(warehouse: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [
            name for (name,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            if not RUN_SPECIFIC.search(name)
        ]
        return con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()


def test_serial_pool_and_dask_runs_give_identical_tables(prefect_api, dask_address, corpus, tmp_path):
    write_corpus(N_GENERATED, corpus)
    assert len(list(corpus.glob("*.txt"))) >= MIN_ARTICLES_FOR_POOL  # so the process pool really runs
    options = {"serial": ("--workers", "1"), "pool": ("--workers", "2"), "dask": ("--dask-address", dask_address)}
    warehouses = {label: tmp_path / label / "flakturm.duckdb" for label in options}
    for label, extra in options.items():
        result = run_cli("ingest", str(corpus), "--warehouse", str(warehouses[label]), *extra)
        assert result.returncode == 0, f"{label}: {result.stderr}"

    for table in TABLES:
        expected = table_rows(warehouses["serial"], table)
        assert expected, f"{table} is empty"
        for label in ("pool", "dask"):
            assert table_rows(warehouses[label], table) == expected, f"{table} differs between serial and {label}"
