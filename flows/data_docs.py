"""Data Docs: the `dq_results` table (every Great Expectations result of every ingest run) as one plain,
self-contained HTML page beside the warehouse, latest run first. GX's own Data Docs need a file-based
context, which the pipeline does not keep."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from flows import warehouse as wh
from flows.report import esc, page, row_html, table_html

MAX_RUNS = 20  # older runs stay in dq_results; the page shows the recent ones

RUNS_SQL = """
SELECT d.run_id, any_value(r.status) AS status, any_value(r.dq_verdict) AS dq_verdict,
       date_trunc('second', min(d.checked_at_utc)) AS checked_at_utc,
       count(*) AS n_results, count(*) FILTER (WHERE NOT d.success AND d.severity = 'error') AS n_failed,
       count(*) FILTER (WHERE NOT d.success AND d.severity = 'warning') AS n_warnings
FROM dq_results AS d
LEFT JOIN runs AS r USING (run_id)
GROUP BY d.run_id
ORDER BY checked_at_utc DESC, d.run_id DESC
LIMIT ?
"""
RESULTS_SQL = """
SELECT run_id, batch_no, suite, expectation, column_name, severity, success, unexpected_count, detail
FROM dq_results
WHERE run_id IN (SELECT unnest(?::VARCHAR[]))
ORDER BY batch_no, suite, column_name NULLS FIRST, expectation
"""

CSS = """
details { border-top:1px solid var(--line); padding:10px 0; }
summary { cursor:pointer; font-weight:600; }
summary .note { font-weight:400; margin-left:8px; }
details table { margin:10px 0 4px; table-layout:fixed; }
details th:nth-child(1) { width:34%; } details th:nth-child(2) { width:20%; } details th:nth-child(3),
details th:nth-child(4) { width:9%; } details th:nth-child(5) { width:12%; }
details td { overflow-wrap:anywhere; }
h4 { margin:14px 0 4px; font-size:13px; }
"""


def data_docs_path(warehouse_path: Path) -> Path:
    return Path(warehouse_path).parent / "data_docs" / "index.html"


def write_data_docs(warehouse_path: Path) -> Path:
    """Render dq_results of the warehouse (opened read-only) into <warehouse dir>/data_docs/index.html:
    one section per run, latest first, one table per suite (expectation, column, result, unexpected
    rows). Returns the path written."""
    with wh.read_only(Path(warehouse_path)) as con:
        runs = wh.fetch_dicts(con, RUNS_SQL, [MAX_RUNS])
        results = wh.fetch_dicts(con, RESULTS_SQL, [[r["run_id"] for r in runs]])
    out = data_docs_path(warehouse_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_data_docs(runs, results), encoding="utf-8")
    return out


def render_data_docs(runs: list[dict], results: list[dict]) -> str:
    """The page for these runs and their results (pure)."""
    by_run_suite: dict[str, dict[tuple[int, str], list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        by_run_suite[r["run_id"]][(r["batch_no"], r["suite"])].append(r)
    sections = []
    for i, run in enumerate(runs):
        verdict = ("pass", "passed") if not run["n_failed"] else ("fail", f'{run["n_failed"]} failed')
        summary = (f'<span class="badge {verdict[0]}">{verdict[1]}</span> {esc(run["run_id"])}'
                   f'<span class="note">{esc(run["checked_at_utc"])} UTC · run {esc(run["status"] or "?")} · '
                   f'{run["n_results"]} expectations · {run["n_warnings"]} warnings</span>')
        suites = []
        for (batch_no, suite), rows in by_run_suite[run["run_id"]].items():
            body = [
                row_html([
                    esc(r["expectation"]), f'<code>{esc(r["column_name"] or "*")}</code>', esc(r["severity"]),
                    '<span class="badge pass">pass</span>' if r["success"] else
                    f'<span class="badge {"fail" if r["severity"] == "error" else "warn"}">fail</span>',
                    esc(r["unexpected_count"] if r["unexpected_count"] is not None else "–"), esc(r["detail"]),
                ], numeric={4})
                for r in rows
            ]
            suites.append(f"<h4>{esc(suite)} <span class=\"note\">batch {batch_no}</span></h4>"
                          + table_html(["expectation", "column", "severity", "result", "unexpected rows", "detail"],
                                       body, numeric={4}))
        sections.append(f'<details{" open" if i == 0 else ""}><summary>{summary}</summary>{"".join(suites)}</details>')
    content = "".join(sections) or '<p class="note">No validation results yet: run `flakturm ingest`.</p>'
    body = ('<header class="page"><div><h1>flakturm · Data Docs</h1><p class="sub" style="margin:4px 0 0">'
            "Great Expectations results at the load boundary, from table dq_results, latest run first."
            f'</p></div></header><section class="card">{content}</section>')
    return page("flakturm Data Docs", body, CSS)
