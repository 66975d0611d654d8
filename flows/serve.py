"""The schedule: the ingest as a Prefect deployment served by this long-running process.

Each scheduled run executes in a fresh subprocess, takes the warehouse's ingest lock (so it never
overlaps a manual `flakturm ingest`), picks up new and changed files, prints one line and exits; the
warehouse file is open only while a run loads, so analysts can query it while serve waits. Without
PREFECT_API_URL, serve starts a Prefect server of its own (Prefect's temporary one never schedules).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from prefect import flow
from prefect.exceptions import TerminationSignal
from prefect.runner import Runner
from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings
from prefect.types.entrypoint import EntrypointType

from flows.ingest import RunSummary, run_ingest
from flows.parallel import default_workers

DEFAULT_INTERVAL_SECONDS = 300.0
MAX_POLL_SECONDS = 10  # how often the runner asks the server for due runs (Prefect's default)


@flow(name="flakturm-scheduled-ingest", validate_parameters=False, persist_result=False, log_prints=False)
def scheduled_ingest(sources: list[str], warehouse: str, workers: int = 1) -> None:
    """One scheduled run: the ingest flow (as a subflow) under the ingest lock, then one line on stdout."""
    if threading.current_thread() is threading.main_thread():
        # A terminal's Ctrl-C reaches the whole process group; the runner owns shutdown and cancels
        # this run with SIGTERM, so this process and its extraction workers ignore SIGINT.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        summary = run_ingest(sources=sources, warehouse=warehouse, workers=workers)
    except TerminationSignal:
        _say("run cancelled: serve is stopping")
        raise
    except Exception as exc:
        _say(f"run failed: {type(exc).__name__}: {' '.join(str(exc).split()[:40])}")
        raise
    finally:
        # A served run is a multiprocessing child, whose exit joins its child processes *before* the
        # executor's own exit hook stops them: without an explicit shutdown the run's process never exits.
        from flows.gate import stop_gate
        from flows.parallel import shutdown_pool

        shutdown_pool()
        stop_gate()
    _say(run_line(summary))


def run_line(summary: RunSummary) -> str:
    """`run-… completed: seen 7 · new 1 · changed 0 · rejected 0 (2.3 s)`, plus the message if any."""
    line = (
        f"{summary.run_id} {summary.status}: seen {summary.n_seen} · new {summary.n_new} · "
        f"changed {summary.n_changed} · rejected {summary.n_rejected} ({summary.timings.get('total', 0):.1f} s)"
    )
    return f"{line} · {summary.message}" if summary.message else line


def deployment_name(warehouse: str) -> str:
    """One deployment per warehouse file (its parameters name the warehouse), stable across restarts."""
    resolved = str(Path(warehouse).resolve())
    return f"{Path(resolved).stem}-{hashlib.sha1(resolved.encode()).hexdigest()[:8]}"


def serve_ingest(
    sources: list[str], warehouse: str, interval: float | None, cron: str | None, workers: int | None
) -> None:
    """Serve the scheduled ingest until SIGTERM or Ctrl-C; the schedule stays active after a stop."""
    parameters = {
        "sources": [str(Path(s).resolve()) for s in sources],
        "warehouse": str(Path(warehouse).resolve()),
        "workers": workers or default_workers(),
    }
    schedule = {"cron": cron} if cron else {"interval": interval or DEFAULT_INTERVAL_SECONDS}
    name = deployment_name(warehouse)
    # Each run's process imports Prefect afresh, which warns if PREFECT_HOME's folder (beside the
    # warehouse, see flows.runtime) cannot be created: make that folder now.
    Path(parameters["warehouse"]).parent.mkdir(parents=True, exist_ok=True)
    # limit=1: runs of this deployment never overlap here (the ingest lock covers manual ingests)
    runner = Runner(name=name, query_seconds=min(MAX_POLL_SECONDS, max(1, int(interval or MAX_POLL_SECONDS))),
                    limit=1, pause_on_shutdown=False)
    when = f"cron {cron!r}" if cron else f"every {schedule['interval']:g} s"
    with _scheduling_api(PREFECT_HOME.value()):
        runner.add_flow(scheduled_ingest, name=name, parameters=parameters,
                        entrypoint_type=EntrypointType.MODULE_PATH, **schedule)
        _say(f"serving {scheduled_ingest.name}/{name}: {', '.join(parameters['sources'])} -> "
             f"{parameters['warehouse']} {when} (Ctrl-C stops)")
        asyncio.run(_run_until_signalled(runner))
    _say("serve stopped")


@contextlib.contextmanager
def _scheduling_api(home: Path) -> Iterator[None]:
    """The configured Prefect API, or, when there is none, a server of our own for as long as serve
    runs: Prefect's temporary server never runs the scheduler, so nothing would ever be due."""
    if PREFECT_API_URL.value():
        yield
        return
    with prefect_server(home / "server") as (url, _):
        _say(f"no PREFECT_API_URL: started a Prefect server at {url} (state in {home / 'server'})")
        os.environ["PREFECT_API_URL"] = url  # for the runs' processes
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield


async def _run_until_signalled(runner: Runner) -> None:
    """Run the runner; SIGTERM or Ctrl-C stop it gracefully (a run in flight is cancelled, its
    process given time to exit) instead of Prefect's default of exiting from inside the handler."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()

    def stop(signum, frame) -> None:
        if runner.started and not runner.stopping:
            asyncio.run_coroutine_threadsafe(runner.astop(), loop)
        elif not runner.started:
            loop.call_soon_threadsafe(main.cancel)

    runner.handle_sigterm = stop  # runner.start() installs this for SIGTERM
    signal.signal(signal.SIGINT, stop)
    with contextlib.suppress(asyncio.CancelledError):
        await runner.start()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def prefect_server(home: Path) -> Iterator[tuple[str, float]]:
    """`prefect server start` on a free localhost port with its state under `home` (unlike Prefect's
    temporary server it runs the scheduler); yields its API URL and how long it took to answer."""
    import httpx

    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}  # not a client
    env |= {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}
    home.mkdir(parents=True, exist_ok=True)
    log = (home / "server.log").open("w")
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prefect server did not start; see {home / 'server.log'}")
            time.sleep(0.2)
        yield url, time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _say(line: str) -> None:
    print(f"{dt.datetime.now():%H:%M:%S} {line}", flush=True)
