"""flakturm command line: ingest, query, check, eval, serve, report.

Exit codes: 0 done (rejected files are reported, not fatal); 1 the run failed or a quality gate
stopped a load; 2 usage error. Errors are one line on stderr unless --debug.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Annotated

import typer

from flows import runtime
from flows import warehouse as wh

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="News and OSINT reporting on air-defence and strike systems, as a DuckDB warehouse.",
)

WarehouseOption = Annotated[
    Path | None,
    typer.Option("--warehouse", "-w", help="DuckDB file (default: $FLAKTURM_WAREHOUSE or warehouse/flakturm.duckdb)."),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show Prefect logs and full tracebacks.")]


class Failure(Exception):
    """A run that ended badly in a way already explained in one line."""


def _fail(message: str, debug: bool, exc: BaseException | None = None) -> None:
    if debug and exc is not None:
        raise exc
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _warehouse(path: Path | None) -> Path:
    return Path(path) if path else wh.default_warehouse()


def _guard(debug: bool):
    """Run a command body, turning any exception into one line on stderr (unless --debug)."""

    class _Guard:
        def __enter__(self):
            return self

        def __exit__(self, exc_type, exc, tb):
            if exc is None or isinstance(exc, (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt)):
                return False
            if debug:
                return False
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else exc_type.__name__
            if not isinstance(exc, (wh.WarehouseError, FileNotFoundError, Failure)):
                message = f"{exc_type.__name__}: {message}"
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(1)

    return _Guard()


@app.command()
def ingest(
    sources: Annotated[list[Path] | None, typer.Argument(help="Folders or files of articles (default: seeds/articles).")] = None,
    warehouse: WarehouseOption = None,
    full_refresh: Annotated[bool, typer.Option("--full-refresh", help="Rebuild the warehouse from scratch.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Delete articles whose files have disappeared.")] = False,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Reject files larger than this.")] = 5 * 1024 * 1024,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles per load transaction.")] = wh.DEFAULT_BATCH_SIZE,
    workers: Annotated[int | None, typer.Option("--workers", help="Extraction processes (default: CPU count).")] = None,
    dask_address: Annotated[str | None, typer.Option("--dask-address", help="Run extraction on this Dask scheduler.")] = None,
    lock_wait: Annotated[float, typer.Option("--lock-wait", help="Seconds to wait for another ingest.")] = 600.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    debug: DebugOption = False,
) -> None:
    """Discover, parse, extract, validate and load articles into the warehouse."""
    started = time.perf_counter()
    path = _warehouse(warehouse)
    runtime.configure(path, debug)
    sources = sources or [Path("seeds/articles")]
    with _guard(debug):
        for source in sources:
            if not source.exists() and not source.is_symlink():
                raise FileNotFoundError(f"source {source} does not exist")
        from flows.runs import idle_run, summary_dict

        def on_wait(message: str) -> None:
            typer.echo(message, err=True)

        # A run with nothing to read or re-extract is recorded without Prefect (seconds of start-up)
        summary = None if full_refresh else idle_run(
            [str(s) for s in sources], path, prune, max_bytes, lock_wait_seconds=lock_wait, on_wait=on_wait
        )
        if summary is None:
            if not full_refresh:  # there is work: the gate's process imports Great Expectations meanwhile
                from flows.gate import start_gate

                start_gate()
            from flows import ingest as ingest_module
            from flows.parallel import default_workers
            from flows.reporting import ProgressBar

            with ProgressBar(enabled=not as_json) as progress:
                ingest_module.set_progress_hook(progress.update)
                summary = ingest_module.run_ingest(
                    sources=[str(s) for s in sources], warehouse=str(path), full_refresh=full_refresh, prune=prune,
                    max_bytes=max_bytes, batch_size=batch_size, workers=workers or default_workers(),
                    dask_address=dask_address, lock_wait_seconds=lock_wait, on_wait=on_wait,
                )
        if as_json:
            typer.echo(json.dumps(summary_dict(summary), default=str, indent=2))
        else:
            from flows.reporting import print_summary

            print_summary(summary, time.perf_counter() - started)
        if summary.status != "completed":
            raise Failure(summary.message or f"run {summary.status}")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement.")],
    warehouse: WarehouseOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    debug: DebugOption = False,
) -> None:
    """Run read-only SQL against the warehouse."""
    if fmt not in ("table", "csv", "json"):
        typer.echo("error: --format must be table, csv or json", err=True)
        raise typer.Exit(2)
    path = _warehouse(warehouse)
    with _guard(debug):
        from flows.reporting import print_rows, run_read_only_query

        columns, rows = run_read_only_query(path, sql)
        print_rows(columns, rows, fmt)


@app.command()
def check(warehouse: WarehouseOption = None, debug: DebugOption = False) -> None:
    """Run the data-quality suites and SQL audits on the whole warehouse; exit 1 on any failure."""
    path = _warehouse(warehouse)
    runtime.configure(path, debug)
    with _guard(debug):
        from flows.quality import check_warehouse, print_check

        results = check_warehouse(path)
        print_check(results)
        failed = [r for r in results if not r.passed and r.severity == "error"]
        if failed:
            raise Failure(f"{len(failed)} check(s) failed: " + ", ".join(r.name for r in failed[:5]))


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="A gold annotation file (flakturm-gold/1).")],
    warehouse: WarehouseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print scores, misses and false positives as JSON.")] = False,
    debug: DebugOption = False,
) -> None:
    """Precision, recall and F1 of what the warehouse extracted, against an annotated gold file."""
    path = _warehouse(warehouse)
    with _guard(debug):
        from flows.evaluate import evaluate_warehouse, print_evaluation

        result = evaluate_warehouse(path, gold)
        if as_json:
            typer.echo(json.dumps(result, indent=2, default=str))
        else:
            print_evaluation(result)


@app.command()
def serve(
    sources: Annotated[list[Path] | None, typer.Argument(help="Folders to watch (default: seeds/articles).")] = None,
    interval: Annotated[float | None, typer.Option("--interval", help="Seconds between runs.")] = None,
    cron: Annotated[str | None, typer.Option("--cron", help="A cron expression instead of an interval.")] = None,
    warehouse: WarehouseOption = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Extraction processes.")] = None,
    debug: DebugOption = False,
) -> None:
    """Re-ingest on a schedule, as a Prefect deployment served by this process (Ctrl-C stops it)."""
    if interval is not None and cron is not None:
        typer.echo("error: give --interval or --cron, not both", err=True)
        raise typer.Exit(2)
    path = _warehouse(warehouse)
    runtime.configure(path, debug)
    with _guard(debug):
        from flows.serve import serve_ingest

        serve_ingest([str(s) for s in (sources or [Path("seeds/articles")])], str(path), interval, cron, workers)


@app.command()
def report(
    warehouse: WarehouseOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the HTML file.")] = Path("warehouse/report.html"),
    debug: DebugOption = False,
) -> None:
    """Write one self-contained HTML report: map of sites, timeline, deployments with provenance."""
    path = _warehouse(warehouse)
    with _guard(debug):
        from flows.report import write_report

        written = write_report(path, out)
        typer.echo(f"report written to {written}")


def main() -> None:
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except SystemExit as done:
        _exit(done.code)


def _exit(code: int | str | None) -> None:
    """Exit as the interpreter would (other threads joined, atexit handlers run, output flushed), minus
    the teardown of every module object: with Prefect and Great Expectations loaded that takes about a
    second, after the work is done. Under a profiler or tracer, exit normally so it can write its report."""
    if sys.getprofile() or sys.gettrace():
        sys.exit(code)
    if isinstance(code, str):
        typer.echo(code, err=True)
        code = 1
    threading._shutdown()  # what the interpreter's exit does first: join non-daemon threads
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
