"""`flakturm serve`: scheduled runs pick up files as they arrive, the warehouse stays queryable between
runs, SIGTERM stops the server cleanly and leaves the deployment's schedule active.

The session's test-harness server is ephemeral and never runs Prefect's scheduler, so this module
starts a real `prefect server start` of its own (the one serve itself starts without PREFECT_API_URL).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FLAKTURM, ROOT, SEEDS, run_cli

WAIT_SECONDS = 120


@dataclass
class Server:
    api_url: str
    log: Path


@pytest.fixture(scope="module")
def scheduling_server(tmp_path_factory) -> Server:
    from flows.serve import prefect_server  # imports Prefect: not at collection time

    home = tmp_path_factory.mktemp("prefect-server")
    with prefect_server(home) as (url, _):
        yield Server(url, home / "server.log")


def _count_articles(warehouse: Path) -> int | None:
    result = run_cli("query", "select count(*) from v_articles", "--warehouse", str(warehouse), "--format", "csv")
    return int(result.stdout.splitlines()[1]) if result.returncode == 0 else None


def _wait_until(condition: Callable[[], bool], what: str, serve: subprocess.Popen, server: Server) -> None:
    """Bounded polling; on failure, say what serve and the Prefect server last said."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if serve.poll() is not None or time.monotonic() > deadline:
            serve.kill()
            out, err = serve.communicate()
            pytest.fail(f"{what}: not within {WAIT_SECONDS} s\nserve: {out}{err}\nserver: {server.log.read_text()[-2000:]}")
        time.sleep(0.5)


def test_serve_ingests_arriving_files_and_stops_cleanly(scheduling_server, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.serve import deployment_name, scheduled_ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    warehouse = tmp_path / "wh" / "flakturm.duckdb"
    seeds = sorted(SEEDS.glob("*.txt"))
    serve = subprocess.Popen(
        [str(FLAKTURM), "serve", str(inbox), "--interval", "2", "--warehouse", str(warehouse)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=os.environ | {"PREFECT_API_URL": scheduling_server.api_url},
    )
    try:
        for seed in seeds[:-1]:
            shutil.copy(seed, inbox)
        _wait_until(lambda: _count_articles(warehouse) == len(seeds) - 1, "first files ingested", serve, scheduling_server)
        shutil.copy(seeds[-1], inbox)
        _wait_until(lambda: _count_articles(warehouse) == len(seeds), "new file ingested", serve, scheduling_server)
        serve.send_signal(signal.SIGTERM)
        out, err = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()

    assert serve.returncode == 0, err
    assert err == ""
    lines = out.strip().splitlines()
    assert " serving flakturm-scheduled-ingest/" in lines[0] and lines[-1].endswith(" serve stopped")
    # one line per run; the last may be a run that SIGTERM interrupted
    runs = lines[1:-1] if " completed: " in lines[-2] else lines[1:-2]
    assert all(re.search(r" completed: seen \d+ · new \d+ · changed \d+ · rejected \d+ ", line) for line in runs), out
    assert re.search(r" new [1-9]", out)
    assert _count_articles(warehouse) == len(seeds)
    with temporary_settings(updates={PREFECT_API_URL: scheduling_server.api_url}), get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(f"{scheduled_ingest.name}/{deployment_name(str(warehouse))}")
    assert deployment.paused is False
    assert deployment.schedules and all(schedule.active for schedule in deployment.schedules)
