"""The quality gate's process: Great Expectations runs in a worker process of its own.

Importing GX takes one to two seconds of one core. Started when a run knows it has work, the gate
imports it on the other core while this process starts Prefect, parses and extracts (a one-file ingest
no longer waits for it), and the CLI process never imports GX or pandas at all. The gate gets only the
columns the suites read (`with_derived_columns`) and returns the report; the load writes the batch
meanwhile and commits only if the report passes.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from flows.runtime import prepare_gx_imports, tune_gc, worker_context
from flows.stages.validate import ValidationReport, gx_suites, validate_tables

_GATE: ProcessPoolExecutor | None = None


def _prepare_gate() -> None:
    tune_gc()
    prepare_gx_imports()
    gx_suites()


def _ready() -> None:
    """Nothing: submitting it makes the executor start its process now."""


def start_gate() -> ProcessPoolExecutor:
    """The gate's process, started (and GX importing there) if it was not yet."""
    global _GATE
    if _GATE is None:
        _GATE = ProcessPoolExecutor(max_workers=1, mp_context=worker_context(), initializer=_prepare_gate)
        _GATE.submit(_ready)
    return _GATE


def submit(checked: dict[str, dict[str, list]]) -> Future[ValidationReport]:
    """Start the suites on a batch's checked columns (from `with_derived_columns`) in the gate's process."""
    return start_gate().submit(validate_tables, checked)


def verdict(pending: Future[ValidationReport]) -> ValidationReport:
    """Wait for the gate's report."""
    try:
        return pending.result()
    except BrokenProcessPool as exc:
        stop_gate()
        raise RuntimeError("the quality gate's process stopped unexpectedly; nothing was loaded") from exc


def check(checked: dict[str, dict[str, list]]) -> ValidationReport:
    """Run the suites on a batch's checked columns and wait for the report."""
    return verdict(submit(checked))


def stop_gate() -> None:
    global _GATE
    if _GATE is not None:
        _GATE.shutdown(wait=True, cancel_futures=True)
        _GATE = None
