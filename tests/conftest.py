"""Shared fixtures: one Prefect test harness per session, temporary warehouses, the seed corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
SHARED_GOLD = ROOT.parent / "shared" / "gold" / "seeds.gold.json"
FLAKTURM = Path(sys.executable).parent / "flakturm"


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> str:
    """One temporary Prefect server for the whole session; subprocesses reach it via PREFECT_API_URL."""
    from flows import runtime

    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    runtime.configure(home / "warehouse.duckdb", debug=False)
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        api_url = PREFECT_API_URL.value()
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
        os.environ.pop("PREFECT_API_URL", None)


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A private copy of the seed articles that a test may edit, extend or delete."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return tmp_path / "wh" / "flakturm.duckdb"


def run_cli(*args: str, env: dict | None = None, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real console script in a subprocess (reaches the session's Prefect server when set)."""
    full_env = os.environ | (env or {})
    return subprocess.run(
        [str(FLAKTURM), *args], capture_output=True, text=True, env=full_env, timeout=timeout, cwd=cwd
    )
