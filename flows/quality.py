"""check: the warehouse as a whole against its invariants, read-only.

Two kinds of check: the SQL audits in sql/audits/ (one query per rule returning the rows that break
it, SQLMesh style) and the Great Expectations suites of flows/stages/validate.py, re-run on the
stored tables. `check_warehouse` runs both and refreshes the Data Docs page; `print_check` shows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from flows import warehouse as wh

AUDIT_DIR = wh.SQL_DIR / "audits"
SEVERITIES = ("error", "warning")
_HEADER = re.compile(r"^--\s*(severity|rule):\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Audit:
    """One rule: a SELECT over the warehouse that returns the violating rows."""

    name: str  # <table>__<rule>, the file's stem
    severity: str
    rule: str
    sql: str

    @classmethod
    def from_file(cls, path: Path) -> Audit:
        sql = path.read_text(encoding="utf-8").strip().rstrip(";")
        header = dict(_HEADER.findall(sql))
        if header.get("severity") not in SEVERITIES or not header.get("rule"):
            raise ValueError(f"{path.name}: must open with '-- severity: error|warning' and '-- rule: ...'")
        return cls(path.stem, header["severity"], header["rule"], sql)


@dataclass(frozen=True)
class CheckResult:
    name: str
    kind: str  # 'audit' | 'suite'
    severity: str  # 'error' | 'warning'
    passed: bool
    n_violations: int
    detail: str  # what broke (an example row), or the rule itself when it holds


def audits(audit_dir: Path = AUDIT_DIR) -> list[Audit]:
    """Every audit in sql/audits/, by name."""
    return [Audit.from_file(path) for path in sorted(audit_dir.glob("*.sql"))]


def violations(con: duckdb.DuckDBPyConnection, audit: Audit, limit: int | None = None) -> list[dict]:
    """The rows that break the audit's rule (the first `limit` of them when given)."""
    # the newline keeps a trailing comment in the audit from swallowing the closing parenthesis
    sql = f"SELECT * FROM (\n{audit.sql}\n)" + (f" LIMIT {int(limit)}" if limit is not None else "")
    return wh.fetch_dicts(con, sql)


def run_audit(con: duckdb.DuckDBPyConnection, audit: Audit) -> CheckResult:
    """An audit as a check result; an audit that cannot run fails with the database's message."""
    try:
        n = con.execute(f"SELECT count(*) FROM (\n{audit.sql}\n)").fetchall()[0][0]
        examples = violations(con, audit, limit=1) if n else []
    except duckdb.Error as exc:
        return CheckResult(audit.name, "audit", audit.severity, False, 0, f"audit did not run: {str(exc).splitlines()[0]}")
    detail = f"e.g. {_row_summary(examples[0])}" if examples else audit.rule
    return CheckResult(audit.name, "audit", audit.severity, n == 0, n, detail)


def _row_summary(row: dict, width: int = 32, total: int = 160) -> str:
    """key=value pairs of one row, each value and the whole line cut short."""

    def short(text: str, limit: int) -> str:
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return short(", ".join(f"{key}={short(repr(value), width)}" for key, value in row.items()), total)


def stored_tables(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, dict[str, list]], dict[str, str], set[tuple[str, str]]]:
    """What the load-time suites need, read from the warehouse: each table's columns, article texts by
    id, and the (entity_type, entity_id) pairs of the systems, sites and actors tables."""
    from flows.stages.load import ENTITY_TABLES, TABLE_SCHEMAS, columns_of

    tables = {name: columns_of(name, wh.fetch_dicts(con, f"SELECT * FROM {name}")) for name in TABLE_SCHEMAS}
    texts = dict(zip(tables["articles"]["article_id"], tables["articles"]["text"]))
    known = {(entity_type, i) for entity_type, (table, key) in ENTITY_TABLES.items() for i in tables[table][key]}
    return tables, texts, known


def run_suites(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    """The Great Expectations suites of the validate stage, on the stored tables; one result per expectation."""
    from flows.gate import check
    from flows.stages.validate import with_derived_columns

    report = check(with_derived_columns(*stored_tables(con)))
    return [
        CheckResult(
            name=f"{r.suite}.{r.column or '*'}:{r.expectation}",
            kind="suite",
            severity=r.severity,
            passed=r.success,
            n_violations=r.unexpected_count or (0 if r.success else 1),
            detail=r.detail,
        )
        for r in report.results
    ]


def check_warehouse(path: Path) -> list[CheckResult]:
    """Run every audit and every suite on the warehouse at `path` (opened read-only), then rewrite the
    Data Docs page beside it. Returns one result per audit and per expectation."""
    from flows.data_docs import write_data_docs

    with wh.read_only(path) as con:
        results = [run_audit(con, audit) for audit in audits()]
        results += run_suites(con)
    try:
        write_data_docs(path)
    except OSError:
        pass  # Data Docs are a by-product: a warehouse on a read-only mount can still be checked
    return results


def print_check(results: list[CheckResult], console: Console | None = None) -> None:
    """A table of every check (rule, kind, result, violations), then one line per failed check."""
    console = console or Console(width=max(120, Console().width))
    table = Table(title="flakturm check", title_justify="left", header_style="bold")
    for column, justify in (("rule", "left"), ("kind", "left"), ("result", "left"), ("violations", "right")):
        table.add_column(column, justify=justify, overflow="fold")
    for r in results:
        table.add_row(r.name, r.kind, _verdict(r), str(r.n_violations))
    console.print(table)
    failed = [r for r in results if not r.passed]
    errors = sum(r.severity == "error" for r in failed)
    console.print(
        f"{len(results)} checks: {len(results) - len(failed)} passed, {errors} failed, {len(failed) - errors} warnings",
        highlight=False,
    )
    for r in failed:
        label = "FAILED" if r.severity == "error" else "WARNING"
        console.print(f"{label} {r.name} ({r.n_violations} violation(s)): {r.detail}", highlight=False, markup=False)


def _verdict(result: CheckResult) -> str:
    if result.passed:
        return "[green]pass[/green]"
    return "[red bold]FAIL[/red bold]" if result.severity == "error" else "[yellow]warn[/yellow]"
