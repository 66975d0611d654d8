"""The warehouse file: the one read-write connection (for the load), read-only connections for
everything else, schema migrations from sql/, and the lock that keeps ingest runs from overlapping."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
DEFAULT_WAREHOUSE = Path("warehouse") / "flakturm.duckdb"


class WarehouseError(Exception):
    """A problem with the warehouse file an operator can act on (message is one line)."""


class WarehouseBusy(WarehouseError):
    pass


def default_warehouse() -> Path:
    return Path(os.environ.get("FLAKTURM_WAREHOUSE") or DEFAULT_WAREHOUSE)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def migration_files() -> list[tuple[int, Path]]:
    found = []
    for path in sorted((SQL_DIR / "migrations").glob("*.sql")):
        match = re.match(r"(\d+)_", path.name)
        if match:
            found.append((int(match.group(1)), path))
    return found


def view_files() -> list[Path]:
    return sorted((SQL_DIR / "views").glob("*.sql"))


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations (each in its own transaction); when the view files changed (or a view is
    missing), (re)create every view and refresh the stored summary."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at_utc TIMESTAMP NOT NULL)"
    )
    current = schema_version(con)
    for version, path in migration_files():
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, path.stem, utc_now()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    views = view_files()
    digest = views_hash(views)
    if meta_value(con, "views_hash") != digest or _n_views(con, views) < len(views):
        create_views(con)
        with transaction(con):  # the summary as the (possibly new) live view computes it
            refresh_deployment_summary(con)
            set_meta(con, "views_hash", digest)
    return schema_version(con)


def views_hash(paths: list[Path]) -> str:
    """A hash of the view files: re-creating every view costs ~0.1 s, so it happens only when they change."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _n_views(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> int:
    return con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
        "AND view_name IN (SELECT unnest(?::VARCHAR[]))",
        [[p.stem for p in paths]],
    ).fetchall()[0][0]


def meta_value(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    con.execute("DELETE FROM meta WHERE key = ?", [key])
    if value is not None:
        con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])


def mark_summary_stale(con: duckdb.DuckDBPyConnection) -> None:
    """Called in a transaction that changes deployments, claims, articles or the entity tables."""
    set_meta(con, "deployment_summary_stale", "true")


def summary_is_stale(con: duckdb.DuckDBPyConnection) -> bool:
    return meta_value(con, "deployment_summary_stale") is not None


def refresh_deployment_summary(con: duckdb.DuckDBPyConnection) -> None:
    """Store v_deployment_summary_live in table deployment_summary (what v_deployment_summary reads);
    call it inside the transaction whose changes it should reflect."""
    con.execute("DELETE FROM deployment_summary")
    con.execute("INSERT INTO deployment_summary BY NAME SELECT * FROM v_deployment_summary_live")
    set_meta(con, "deployment_summary_stale", None)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create views in dependency order: retry those whose inputs don't exist yet."""
    pending = view_files()
    while pending:
        failed: list[Path] = []
        for path in pending:
            body = path.read_text(encoding="utf-8").strip().rstrip(";")
            try:
                con.execute(f"CREATE OR REPLACE VIEW {path.stem} AS {body}")
            except duckdb.CatalogException:
                failed.append(path)
        if len(failed) == len(pending):
            names = ", ".join(p.stem for p in failed)
            raise WarehouseError(f"views could not be created (missing inputs?): {names}")
        pending = failed


# Articles per load transaction. Larger batches spread Great Expectations' fixed cost per validation
# (about 0.4 s) thinner; 2,000 was the fastest at 10k and 100k articles on a 2-core machine.
DEFAULT_BATCH_SIZE = 2000


# How long a connection waits while another process holds the file: an analyst's query holds it for
# well under a second, a load for one batch's transaction at most.
WAIT_FOR_FILE_SECONDS = 30.0


# DuckDB's buffer pool for the load's connection: by default it may grow to 80% of RAM and keeps the pages a
# load touched; capped, a 100k-article ingest peaked at 1,394 MB for the whole process tree instead of 1,529 MB,
# at the same speed (10k: 38.5 s against 39.0 s).
WRITER_MEMORY_LIMIT = "512MB"


def _connect(path: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds it (DuckDB locks it per process)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise WarehouseError(f"cannot open warehouse {path}: {str(exc).splitlines()[0]}") from exc
            if time.monotonic() > deadline:
                raise WarehouseBusy(
                    f"warehouse {path} is still in use by another process after {wait_seconds:.0f} s"
                ) from exc
            time.sleep(0.2)


@contextlib.contextmanager
def read_only(path: Path, wait_seconds: float = WAIT_FOR_FILE_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; waits briefly while a load holds the file."""
    if not Path(path).exists():
        raise WarehouseError(f"no warehouse at {path}: run `flakturm ingest` first")
    con = _connect(Path(path), read_only=True, wait_seconds=wait_seconds)
    try:
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def read_write(path: Path, wait_seconds: float = WAIT_FOR_FILE_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one read-write connection, migrated; only the load stage uses it, only while loading.
    Waits briefly while a reader (an analyst's query, a report) holds the file."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = _connect(Path(path), read_only=False, wait_seconds=wait_seconds)
    try:
        con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")
        migrate(con)
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextlib.contextmanager
def ingest_lock(
    path: Path, wait_seconds: float, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Serialise ingest runs on one warehouse: the second waits (saying so), then gives up with an error."""
    lock_path = Path(str(path) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait and wait_seconds > 0:
                on_wait(f"another ingest is running on {path}; waiting up to {wait_seconds:.0f} s")
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise WarehouseBusy(
                            f"another ingest is still running on {path} after {wait_seconds:.0f} s; try again later"
                        ) from None
                    time.sleep(0.2)
        yield
    finally:
        handle.close()


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
