"""A run's bookkeeping, without Prefect: what the warehouse remembers, what the run must do (discover),
the run's summary, its `runs` row and its closing write.

The CLI asks `idle_run` first, before Prefect or Great Expectations is imported: when the sources hold
nothing new or changed and no article is due for re-extraction, the run is closed and recorded exactly
as the flow's summarise step would do it (missing files, newly rejected files, --prune), without
starting a flow. Otherwise the flow runs, and uses the same functions.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import duckdb

import flows
from flows import warehouse as wh
from flows.catalog import Catalog, current_catalog
from flows.stages.discover import DEFAULT_MAX_BYTES, KnownFile, WorkPlan, plan_work, scan_sources
from flows.stages.extract import extractor_version
from flows.stages.load import FinaliseResult, finalise_run
from flows.stages.parse import parser_version


@dataclass
class WarehouseState:
    known: dict[str, KnownFile] = field(default_factory=dict)
    article_versions: dict[str, tuple[str, str]] = field(default_factory=dict)
    parser_version: str | None = None


@dataclass
class Discovery:
    plan: WorkPlan
    state: WarehouseState
    stale_ids: list[str]
    reextract_reason: str | None
    reparse: bool = False

    @property
    def has_work(self) -> bool:
        return bool(self.plan.to_read or self.stale_ids)


@dataclass
class RunSummary:
    run_id: str
    status: str  # completed | blocked | failed
    warehouse: str
    n_seen: int = 0
    n_new: int = 0
    n_changed: int = 0
    n_unchanged: int = 0
    n_missing: int = 0
    n_rejected: int = 0
    n_duplicates: int = 0
    n_reextracted: int = 0
    n_pruned: int = 0
    n_articles_loaded: int = 0
    n_mentions: int = 0
    n_claims: int = 0
    n_quotes: int = 0
    n_entities: int = 0
    dq_verdict: str = "not run"
    message: str = ""
    reextract_reason: str | None = None
    data_docs: str | None = None
    rejects: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def summary_dict(summary: RunSummary) -> dict:
    return asdict(summary)


def new_run_id() -> str:
    return "run-" + wh.utc_now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def read_state(path: Path) -> WarehouseState:
    """What the warehouse remembers: files with their stamps and hashes, and each article's versions."""
    state = WarehouseState()
    if not path.exists():
        return state
    with wh.read_only(path) as con:
        if wh.schema_version(con) == 0:
            return state
        rows = con.execute(
            "SELECT path, size_bytes, mtime_ns, content_hash, article_id, status, first_seen_run, last_changed_run "
            "FROM source_files"
        ).fetchall()
        state.known = {row[0]: KnownFile(*row) for row in rows}
        # one row per pair of versions (nearly always one): a dict per article from lists is cheap
        for ev, cv, ids in con.execute(
            "SELECT extractor_version, catalog_version, list(article_id) FROM articles GROUP BY ALL"
        ).fetchall():
            state.article_versions.update(dict.fromkeys(ids, (ev, cv)))
        state.parser_version = wh.meta_value(con, "parser_version")
    return state


def stale_articles(
    state: WarehouseState, plan: WorkPlan, versions: tuple[str, str], reparse: bool = False
) -> tuple[list[str], str | None]:
    """Articles extracted by other code or catalogs than now, whose files are not re-read anyway; and why
    (counting, when the parser changed, the unchanged files read again, which are re-extracted too)."""
    if set(state.article_versions.values()) <= {versions}:
        return [], None
    rereading = {state.known[f.path].article_id for f in plan.to_read if f.path in state.known}
    stale, reasons = [], set()
    for article_id, (ev, cv) in sorted(state.article_versions.items()):
        if (ev, cv) == versions or article_id in rereading and not reparse:
            continue
        if article_id not in rereading:
            stale.append(article_id)
        if ev != versions[0]:
            reasons.add("extractor changed")
        if cv != versions[1]:
            reasons.add("catalog changed")
    return stale, (" and ".join(sorted(reasons)) or None)


def discover(sources: list[str], path: Path, full_refresh: bool, max_bytes: int, versions: tuple[str, str]) -> Discovery:
    """The files to read (new, or stamp changed; all of them when the parser changed) and the stored
    articles to re-extract (extractor or catalog changed)."""
    state = WarehouseState() if full_refresh else read_state(path)
    scan = scan_sources(sources, max_bytes)
    reparse = bool(state.article_versions) and state.parser_version != parser_version()
    plan = plan_work(scan, state.known, full_refresh, reread=reparse)
    stale, reason = stale_articles(state, plan, versions, reparse)
    return Discovery(plan, state, stale, reason, reparse)


def summarise_discovery(summary: RunSummary, discovery: Discovery) -> None:
    """The counts a run knows once it has discovered (the batches add theirs)."""
    plan = discovery.plan
    summary.n_seen = plan.n_seen
    summary.n_unchanged = len(plan.unchanged)
    summary.n_rejected = len(plan.rejects) + plan.n_rejects_unchanged
    summary.n_missing = len(plan.missing)
    summary.reextract_reason = discovery.reextract_reason
    summary.rejects = [r.model_dump(include={"source_name", "reason", "detail"}) for r in plan.rejects]


def run_row(
    summary: RunSummary, status: str, started, sources: list[str], full_refresh: bool, versions: tuple[str, str],
    timings: dict[str, float], prefect_version: str,
) -> dict:
    """The run's row in table `runs`, as it stands."""
    return {
        "run_id": summary.run_id, "started_at_utc": started, "finished_at_utc": wh.utc_now(), "status": status,
        "sources": [str(s) for s in sources], "full_refresh": full_refresh, "n_seen": summary.n_seen,
        "n_new": summary.n_new, "n_changed": summary.n_changed, "n_unchanged": summary.n_unchanged,
        "n_missing": summary.n_missing, "n_rejected": summary.n_rejected, "n_duplicates": summary.n_duplicates,
        "n_reextracted": summary.n_reextracted, "n_pruned": summary.n_pruned,
        "n_articles_loaded": summary.n_articles_loaded, "n_mentions": summary.n_mentions,
        "n_claims": summary.n_claims, "n_quotes": summary.n_quotes, "dq_verdict": summary.dq_verdict,
        "message": summary.message, "reextract_reason": summary.reextract_reason,
        "flakturm_version": flows.__version__, "extractor_version": versions[0], "catalog_version": versions[1],
        "duckdb_version": duckdb.__version__, "prefect_version": prefect_version,
        "timings_json": json.dumps(timings, sort_keys=True),
    }


def close_run(
    path: Path, catalog: Catalog, discovery: Discovery, prune: bool, row: dict, previous: Path | None = None
) -> tuple[FinaliseResult, int]:
    """The run's closing write (see finalise_run), plus a full refresh's run history; returns the result
    and how many distinct entities the warehouse's mentions name."""
    with wh.read_write(path) as con:
        result = finalise_run(
            con, catalog, row["run_id"], [k.path for k in discovery.plan.missing], prune, row, discovery.plan.rejects
        )
        if previous is not None:
            _carry_history(con, previous)
        n_entities = con.execute("SELECT count(DISTINCT (entity_type, entity_id)) FROM mentions").fetchall()[0][0]
    return result, n_entities


def _carry_history(con: duckdb.DuckDBPyConnection, previous: Path) -> None:
    """A full refresh keeps the run history of the warehouse it replaces."""
    con.execute(f"ATTACH '{previous}' AS previous (READ_ONLY)")
    try:
        con.execute("INSERT INTO runs SELECT * FROM previous.runs WHERE run_id NOT IN (SELECT run_id FROM runs)")
    finally:
        con.execute("DETACH previous")


def idle_run(
    sources: list[str], warehouse: Path, prune: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait_seconds: float = 600.0, on_wait: Callable[[str], None] | None = None,
) -> RunSummary | None:
    """The run, if it has nothing to read or re-extract: closed and recorded as the flow would, under the
    ingest lock (a new warehouse is created), and its summary returned. None when there is work: run the flow."""
    with wh.ingest_lock(warehouse, lock_wait_seconds, on_wait):
        started, clock = wh.utc_now(), time.perf_counter()
        catalog = current_catalog()
        versions = (extractor_version(), catalog.version)
        discovery = discover(sources, warehouse, False, max_bytes, versions)
        if discovery.has_work:
            return None
        timings = {"discover": round(time.perf_counter() - clock, 3)}
        summary = RunSummary(run_id=new_run_id(), status="completed", warehouse=str(warehouse))
        summarise_discovery(summary, discovery)
        summary.dq_verdict = "nothing to validate"
        row = run_row(summary, summary.status, started, sources, False, versions, timings, metadata.version("prefect"))
        t0 = time.perf_counter()
        result, summary.n_entities = close_run(warehouse, catalog, discovery, prune, row)
        summary.n_pruned = result.n_pruned
        timings["summarise"] = round(time.perf_counter() - t0, 3)
        timings["total"] = round(time.perf_counter() - clock, 3)
        summary.timings = timings
        return summary
