"""Runs with nothing to read or re-extract: recorded by the CLI without starting a flow, exactly as the
flow records them (missing files, --prune, the summary's shape); the stored summary follows every run."""

from __future__ import annotations

import json

import pytest

from flows.runs import idle_run
from tests.conftest import run_cli
from tests.helpers import ingest, rows, scalar

pytestmark = pytest.mark.usefixtures("prefect_api")

SUMMARY_DRIFT = (
    "SELECT count(*) FROM (SELECT * FROM deployment_summary EXCEPT ALL SELECT * FROM v_deployment_summary_live "
    "UNION ALL (SELECT * FROM v_deployment_summary_live EXCEPT ALL SELECT * FROM deployment_summary))"
)


def cli_ingest(corpus, warehouse, *extra) -> dict:
    result = run_cli("ingest", str(corpus), "--warehouse", str(warehouse), "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_idle_run_closes_a_run_with_nothing_to_do_and_declines_one_with_work(corpus, warehouse, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert idle_run([str(empty)], warehouse).n_seen == 0  # creates the warehouse, as the flow would
    assert idle_run([str(corpus)], warehouse) is None
    ingest([corpus], warehouse)
    summary = idle_run([str(corpus)], warehouse)
    assert summary is not None and summary.status == "completed"
    assert (summary.n_seen, summary.n_unchanged, summary.dq_verdict) == (5, 5, "nothing to validate")
    (corpus / "new.txt").write_text("A Pantsir-S1 was installed on a roof in Moscow on Friday.", encoding="utf-8")
    assert idle_run([str(corpus)], warehouse) is None


def test_cli_records_idle_runs_like_the_flow_and_keeps_the_summary_current(corpus, warehouse):
    first = cli_ingest(corpus, warehouse)
    assert first["n_new"] == 5 and scalar(warehouse, SUMMARY_DRIFT) == 0
    again = cli_ingest(corpus, warehouse)
    assert list(again) == list(first) and again["n_unchanged"] == 5 and again["data_docs"] is None
    assert set(again["timings"]) == {"discover", "summarise", "total"}
    next(corpus.glob("004_*.txt")).unlink()
    gone = cli_ingest(corpus, warehouse)
    assert gone["n_missing"] == 1 and scalar(warehouse, "SELECT count(*) FROM v_articles WHERE is_missing") == 1
    pruned = cli_ingest(corpus, warehouse, "--prune")
    assert pruned["n_pruned"] == 1 and scalar(warehouse, "SELECT count(*) FROM v_articles") == 4
    assert scalar(warehouse, SUMMARY_DRIFT) == 0
    edited = next(corpus.glob("002_*.txt"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn S-400 was also seen near Vnukovo airport.\n",
                      encoding="utf-8")
    assert cli_ingest(corpus, warehouse)["n_changed"] == 1 and scalar(warehouse, SUMMARY_DRIFT) == 0
    statuses = rows(warehouse, "SELECT status, n_missing, n_pruned FROM runs ORDER BY started_at_utc")
    assert statuses == [("completed", 0, 0), ("completed", 0, 0), ("completed", 1, 0), ("completed", 0, 1),
                        ("completed", 0, 0)]
