"""The ingest flow: discover -> parse -> extract -> validate -> load -> summarise, one coarse task per
stage per batch. Orchestration only; the work is in flows/stages."""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows import runs
from flows import warehouse as wh
from flows.catalog import Catalog, current_catalog
from flows.data_docs import write_data_docs
from flows.gate import start_gate, submit, verdict
from flows.models import Article
from flows.parallel import extract_articles, start_workers
from flows.runs import Discovery, RunSummary, new_run_id
from flows.stages.discover import DEFAULT_MAX_BYTES
from flows.stages.extract import extractor_version
from flows.stages.load import LoadBatch, batch_tables, load_batch, quarantine_batch
from flows.stages.parse import ParsedBatch, parse_batch
from flows.stages.rows import n_rows
from flows.stages.validate import ValidationReport, with_derived_columns

_progress_hook: Callable[[int, int], None] | None = None


def set_progress_hook(hook: Callable[[int, int], None] | None) -> None:
    """The CLI's progress bar: called with (done, total) articles after each batch."""
    global _progress_hook
    _progress_hook = hook


def stored_articles(path: Path, ids: list[str]) -> list[Article]:
    if not ids:
        return []
    columns = list(Article.model_fields)
    with wh.read_only(path) as con:
        rows = wh.fetch_dicts(
            con, f"SELECT {', '.join(columns)} FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        )
    return [Article(**row) for row in rows]


# --- tasks: coarse, one per stage per batch ---------------------------------------------------------


@task(name="discover", cache_policy=NO_CACHE)
def discover_task(sources: list[str], path: Path, full_refresh: bool, max_bytes: int, versions: tuple[str, str]) -> Discovery:
    return runs.discover(sources, path, full_refresh, max_bytes, versions)


@task(name="parse", cache_policy=NO_CACHE)
def parse_task(files, known, known_article_ids, run_id, catalog: Catalog, reparsed_ids) -> ParsedBatch:
    return parse_batch(files, known, known_article_ids, run_id, catalog.outlets, dt.date.today(), reparsed_ids)


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(articles: list[Article], catalog: Catalog, workers: int, dask_address: str | None):
    return extract_articles(articles, catalog, workers=workers, dask_address=dask_address)


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(tables: dict[str, dict[str, list]], texts: dict[str, str], catalog: Catalog) -> Future[ValidationReport]:
    """Hand the batch to the quality gate; its report comes while the load writes the batch."""
    return submit(with_derived_columns(tables, texts, set(catalog.entities)))


@task(name="load", cache_policy=NO_CACHE)
def load_task(
    path: Path, batch: LoadBatch, tables: dict, catalog: Catalog, gate: Future[ValidationReport],
    passed: Callable[[ValidationReport], dict],
) -> ValidationReport:
    """Write the batch and commit it if the gate passes it; the gate's report either way."""
    with wh.read_write(path) as con:
        return load_batch(con, batch, tables, catalog, functools.partial(verdict, gate), passed)


@task(name="quarantine", cache_policy=NO_CACHE)
def quarantine_task(path: Path, batch: LoadBatch, tables: dict, run_row: dict, report: ValidationReport) -> None:
    with wh.read_write(path) as con:
        quarantine_batch(con, batch, tables, run_row, report)


@task(name="summarise", cache_policy=NO_CACHE)
def summarise_task(path: Path, catalog: Catalog, discovery: Discovery, prune: bool, run_row: dict, previous: Path | None):
    return runs.close_run(path, catalog, discovery, prune, run_row, previous)


_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flakturm-extract")


def in_background(fn: Task, *args) -> Future:
    """Run a task in a thread, inside this flow run (its context is copied). Not `Task.submit`: Prefect's
    future keeps the result in a reference cycle, so every batch's rows (about 30 MB) stayed in memory
    until a full garbage collection."""
    return _BACKGROUND.submit(contextvars.copy_context().run, fn, *(quote(arg) for arg in args))


# --- the flow ----------------------------------------------------------------------------------------


@dataclass
class PendingBatch:
    """A batch parsed and sent to extraction, waiting to be validated and loaded."""

    batch_no: int
    parsed: ParsedBatch
    stale: list[Article]
    extracted: object  # ExtractedRows, or a Future of them while extraction runs in the background

    @property
    def articles(self) -> list[Article]:
        return self.parsed.articles + self.stale


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="flakturm-ingest", validate_parameters=False, log_prints=False, persist_result=False)
def ingest_flow(
    sources: list[str],
    warehouse: str,
    full_refresh: bool = False,
    prune: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = wh.DEFAULT_BATCH_SIZE,
    workers: int = 1,
    dask_address: str | None = None,
) -> RunSummary:
    started, clock = wh.utc_now(), time.perf_counter()
    run_id = new_run_id()
    target = Path(warehouse)
    path = Path(str(target) + ".refresh") if full_refresh else target
    if full_refresh:
        for leftover in (path, Path(str(path) + ".wal")):
            leftover.unlink(missing_ok=True)
    catalog = current_catalog()
    versions = (extractor_version(), catalog.version)
    summary = RunSummary(run_id=run_id, status="completed", warehouse=str(target))
    timings: dict[str, float] = {}

    def timed(stage: str, fn, *args):
        t0 = time.perf_counter()
        if isinstance(fn, Task):
            # quote(): Prefect would otherwise walk every record of a batch looking for futures (seconds per batch)
            args = tuple(quote(arg) for arg in args)
        result = fn(*args)
        timings[stage] = round(timings.get(stage, 0.0) + time.perf_counter() - t0, 3)
        return result

    def run_row(status: str) -> dict:
        return runs.run_row(summary, status, started, sources, full_refresh, versions, timings, _prefect_version())

    discovery = timed("discover", discover_task, sources, path, full_refresh, max_bytes, versions)
    if discovery.has_work:
        start_gate()
        if not dask_address:
            start_workers(min(batch_size, len(discovery.plan.to_read) + len(discovery.stale_ids)), catalog, workers)
    plan = discovery.plan
    runs.summarise_discovery(summary, discovery)
    known_article_ids = set(discovery.state.article_versions)
    reparsed_ids: set[str] | None = set() if discovery.reparse else None

    work = [("file", f) for f in plan.to_read] + [("stale", a) for a in discovery.stale_ids]
    total = len(work)

    def finish(pending: PendingBatch) -> bool:
        """Validate and load a batch whose extraction was started earlier; False when the gate blocks it."""
        background = isinstance(pending.extracted, Future)
        extracted = timed("extract", pending.extracted.result) if background else pending.extracted
        parsed, stale, articles = pending.parsed, pending.stale, pending.articles
        texts = {a.article_id: a.text for a in articles}
        batch = LoadBatch(
            run_id=run_id, batch_no=pending.batch_no, extractor_version=versions[0], catalog_version=versions[1],
            new_articles=parsed.articles, extracted=extracted, texts=texts,
            reextracted_ids=[a.article_id for a in stale], source_rows=parsed.source_rows, rejects=parsed.rejects,
        )
        tables = batch_tables(batch)
        gate = timed("validate", validate_task, tables, texts, catalog)
        summary.n_new += parsed.n_new
        summary.n_changed += parsed.n_changed
        summary.n_unchanged += parsed.n_unchanged
        summary.n_duplicates += parsed.n_duplicates
        summary.n_rejected += len(parsed.rejects)
        summary.rejects += [r.model_dump(include={"source_name", "reason", "detail"}) for r in parsed.rejects]

        def passed(report: ValidationReport) -> dict:
            """The gate passed the batch: count it as loaded; the run row its transaction writes."""
            summary.n_reextracted += len(stale) + parsed.n_reparsed
            if parsed.n_reparsed and "parser changed" not in (summary.reextract_reason or ""):
                summary.reextract_reason = " and ".join(filter(None, [summary.reextract_reason, "parser changed"]))
            summary.n_articles_loaded += len(parsed.articles)
            summary.n_mentions += n_rows(tables["mentions"])
            summary.n_claims += n_rows(tables["claims"])
            summary.n_quotes += n_rows(tables["quotes"])
            summary.dq_verdict = "passed" + (" with warnings" if report.warnings else "")
            return run_row("running")

        report = timed("load", load_task, path, batch, tables, catalog, gate, passed)
        if not report.success:
            summary.status = "blocked"
            summary.dq_verdict = "blocked"
            summary.message = f"quality gate blocked batch {pending.batch_no}: {report.one_line()}"
            timed("quarantine", quarantine_task, path, batch, tables, run_row("blocked"), report)
            return False
        if _progress_hook:
            _progress_hook(min(total, (pending.batch_no + 1) * batch_size), total)
        return True

    # Batch k is extracted (in a thread that waits on the worker processes) while batch k-1 is validated
    # and loaded here, so the workers and this process keep busy together. Dask runs one batch at a time.
    overlap = workers > 1 and not dask_address
    pending: PendingBatch | None = None
    for batch_no, chunk in enumerate(_chunks(work, batch_size)):
        files = [item for kind, item in chunk if kind == "file"]
        stale_ids = [item for kind, item in chunk if kind == "stale"]
        parsed = timed("parse", parse_task, files, discovery.state.known, known_article_ids, run_id, catalog, reparsed_ids)
        stale = timed("read_stored", stored_articles, path, stale_ids)
        articles = parsed.articles + stale
        if overlap:
            extracted = in_background(extract_task, articles, catalog, workers, dask_address)
        else:
            extracted = timed("extract", extract_task, articles, catalog, workers, dask_address)
        if pending is not None and not finish(pending):
            pending = None
            break
        pending = PendingBatch(batch_no, parsed, stale, extracted)
    if pending is not None:
        finish(pending)

    if summary.dq_verdict == "not run" and not work:
        summary.dq_verdict = "nothing to validate"
    if summary.status == "completed" and summary.n_reextracted:
        summary.message = f"re-extracted {summary.n_reextracted} articles: {summary.reextract_reason}"
    previous = target if full_refresh and target.exists() and summary.status == "completed" else None
    result, n_entities = timed(
        "summarise", summarise_task, path, catalog, discovery, prune, run_row(summary.status), previous
    )
    summary.n_pruned = result.n_pruned
    summary.n_entities = n_entities
    if full_refresh:
        if summary.status == "completed":
            Path(str(target) + ".wal").unlink(missing_ok=True)
            os.replace(path, target)
        else:
            path.unlink(missing_ok=True)
    if work:
        summary.data_docs = str(timed("data_docs", write_data_docs, target))
    timings["total"] = round(time.perf_counter() - clock, 3)
    summary.timings = timings
    return summary


def _prefect_version() -> str:
    import prefect

    return prefect.__version__


def run_ingest(**kwargs) -> RunSummary:
    """Run the flow under the warehouse's ingest lock (so runs never overlap). Without flow-run
    heartbeats: Prefect's heartbeat thread sleeps in one-second steps and the run's end waits for it
    (a one-file ingest took 3.07 s with them, 2.60 s without). A served run calls this inside its own
    flow run, which keeps its heartbeats."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    wait = kwargs.pop("lock_wait_seconds", 600.0)
    on_wait = kwargs.pop("on_wait", None)
    with wh.ingest_lock(Path(kwargs["warehouse"]), wait, on_wait):
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            return ingest_flow(**kwargs)

