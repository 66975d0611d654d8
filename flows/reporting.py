"""Terminal output: the run summary, query results, a progress bar for long runs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows import warehouse as wh

READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}


class QueryRefused(wh.WarehouseError):
    pass


def run_read_only_query(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """One read-only statement; write statements (and ATTACH/COPY, which could write elsewhere) are refused."""
    with wh.read_only(path) as con:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise wh.WarehouseError(f"SQL does not parse: {str(exc).splitlines()[0]}") from exc
        if len(statements) != 1:
            raise QueryRefused("give exactly one SQL statement")
        kind = statements[0].type.name
        if kind not in READ_ONLY_STATEMENTS:
            raise QueryRefused(f"query refused: {kind} statements are not allowed, the warehouse is read-only here")
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            return columns, cursor.fetchall()
        except duckdb.Error as exc:
            raise wh.WarehouseError(str(exc).splitlines()[0]) from exc


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def print_rows(columns: list[str], rows: list[tuple], fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps([dict(zip(columns, map(_plain, r))) for r in rows], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in r] for r in rows])
        out.write(buffer.getvalue())
    else:
        table = Table(show_lines=False, header_style="bold")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*["" if v is None else str(_plain(v)) for v in row])
        Console(file=out, width=max(100, Console().width)).print(table)
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def print_summary(summary, wall_seconds: float | None = None, out=None) -> None:
    """A compact end-of-run summary: files, what was loaded, data quality, time."""
    out = out or sys.stdout
    timing = f"{summary.timings.get('total', 0):.1f} s in the flow"
    if wall_seconds is not None:
        timing += f" · {wall_seconds:.1f} s wall (Prefect start-up included)"
    lines = [
        f"flakturm ingest · {summary.status} · {summary.run_id}",
        f"  files      seen {summary.n_seen} · new {summary.n_new} · changed {summary.n_changed} · "
        f"unchanged {summary.n_unchanged} · duplicates {summary.n_duplicates} · missing {summary.n_missing} · "
        f"rejected {summary.n_rejected}",
        f"  loaded     {summary.n_articles_loaded} articles · {summary.n_mentions} mentions · {summary.n_claims} claims · "
        f"{summary.n_quotes} quotes · {summary.n_entities} entities mentioned in the warehouse",
    ]
    if summary.n_reextracted:
        lines.append(f"  re-extract {summary.n_reextracted} articles ({summary.reextract_reason})")
    if summary.n_pruned:
        lines.append(f"  pruned     {summary.n_pruned} articles whose files are gone")
    quality = summary.dq_verdict + (f" (data docs: {summary.data_docs})" if summary.data_docs else "")
    lines += [f"  quality    {quality}", f"  time       {timing}", f"  warehouse  {summary.warehouse}"]
    lines += [f"  rejected   {r['source_name']}: {r['reason']} ({r['detail']})" for r in summary.rejects[:20]]
    if len(summary.rejects) > 20:
        lines.append(f"  … and {len(summary.rejects) - 20} more rejected files (table rejects)")
    out.write("\n".join(lines) + "\n")


class ProgressBar:
    """A progress bar that appears only for runs with many articles and only on a terminal."""

    MIN_TOTAL = 200

    def __init__(self, enabled: bool = True):
        self.enabled = enabled and sys.stderr.isatty()
        self.progress: Progress | None = None
        self.task = None

    def __enter__(self) -> ProgressBar:
        return self

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < self.MIN_TOTAL:
            return
        if self.progress is None:
            self.progress = Progress(
                TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("ingest", total=total)
        self.progress.update(self.task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()
