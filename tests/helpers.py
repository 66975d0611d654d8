"""Small helpers shared by the tests: run an ingest in-process, dump tables for comparison."""

from __future__ import annotations

from pathlib import Path

import duckdb

CORE_TABLES = ("articles", "sentences", "mentions", "claims", "deployments", "quotes", "review_items",
               "systems", "sites", "actors")


def ingest(sources: list[Path], warehouse: Path, **options):
    from flows.ingest import run_ingest

    options.setdefault("workers", 1)
    return run_ingest(sources=[str(s) for s in sources], warehouse=str(warehouse), **options)


def dump(warehouse: Path, tables=CORE_TABLES) -> dict[str, list[tuple]]:
    """Every row of the given tables, sorted, for equality checks."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def scalar(warehouse: Path, sql: str, params=None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()[0][0]
    finally:
        con.close()


def rows(warehouse: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
