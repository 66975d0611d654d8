"""Crash and concurrency safety: SIGKILL mid-run, two ingests at once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import FLAKTURM, SEEDS, run_cli
from tests.helpers import dump, rows, scalar

pytestmark = pytest.mark.usefixtures("prefect_api")


def many_articles(folder: Path, n: int) -> Path:
    """n distinct articles: the seeds, each with a numbered line appended."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(n):
        source = seeds[i % len(seeds)]
        (folder / f"{i:05d}_{source.name}").write_text(
            source.read_text(encoding="utf-8") + f"\nDispatch {i}: a Pantsir-S1 was seen in Moscow.\n", encoding="utf-8"
        )
    return folder


def start_ingest(folder: Path, warehouse: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(FLAKTURM), "ingest", str(folder), "--warehouse", str(warehouse), "--workers", "1", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )


def loaded_articles(warehouse: Path) -> int:
    try:
        return scalar(warehouse, "SELECT count(*) FROM articles")
    except Exception:
        return 0  # not created yet, or the load holds the file


def test_sigkill_leaves_whole_batches_and_the_next_run_completes(tmp_path):
    folder = many_articles(tmp_path / "corpus", 600)
    warehouse = tmp_path / "wh.duckdb"
    proc = start_ingest(folder, warehouse, "--batch-size", "100")
    deadline = time.monotonic() + 240
    while loaded_articles(warehouse) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    n = loaded_articles(warehouse)
    assert n % 100 == 0 and n < 600, n  # whole batches only
    # every loaded article is complete: its file record, sentences and mentions are there
    assert scalar(warehouse, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.article_id)") == 0
    assert scalar(warehouse, "SELECT count(*) FROM source_files WHERE status = 'ok' AND article_id NOT IN (SELECT article_id FROM articles)") == 0
    assert scalar(warehouse, "SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT article_id FROM articles)") == 0
    finish = run_cli("ingest", str(folder), "--warehouse", str(warehouse), "--workers", "1", "--batch-size", "100")
    assert finish.returncode == 0, finish.stderr
    assert scalar(warehouse, "SELECT count(*) FROM articles") == 600
    clean = tmp_path / "clean.duckdb"
    assert run_cli("ingest", str(folder), "--warehouse", str(clean), "--workers", "1").returncode == 0
    assert dump(warehouse) == dump(clean)
    statuses = [s for (s,) in rows(warehouse, "SELECT status FROM runs ORDER BY started_at_utc")]
    assert statuses[-1] == "completed"


def test_a_second_ingest_waits_for_the_first(tmp_path):
    folder = many_articles(tmp_path / "corpus", 300)
    warehouse = tmp_path / "wh.duckdb"
    first = start_ingest(folder, warehouse)
    deadline = time.monotonic() + 120
    while not Path(str(warehouse) + ".lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    impatient = run_cli("ingest", str(folder), "--warehouse", str(warehouse), "--lock-wait", "0")
    second = start_ingest(folder, warehouse)
    out_first, err_first = first.communicate(timeout=300)
    out_second, err_second = second.communicate(timeout=300)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    assert impatient.returncode == 1 and impatient.stderr.strip().count("\n") == 0
    assert "another ingest" in impatient.stderr
    assert "Traceback" not in err_first + err_second + impatient.stderr
    assert scalar(warehouse, "SELECT count(*) FROM articles") == 300
    assert scalar(warehouse, "SELECT count(*) FROM runs WHERE status = 'completed'") == 2
