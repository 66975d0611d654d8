"""The warehouse module: views re-created only when their files change, the stored summary refreshed with them."""

import subprocess
import sys

import duckdb
import pytest

from flows import warehouse as wh


def view_names(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


def test_views_are_recreated_only_when_a_file_changed_or_a_view_is_missing(tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    wh.migrate(con)
    assert view_names(con) == {path.stem for path in wh.view_files()}
    con.execute("CREATE OR REPLACE VIEW v_runs AS SELECT 1 AS x")
    wh.migrate(con)  # same files: nothing re-created
    assert con.execute("SELECT * FROM v_runs").fetchall() == [(1,)]
    con.execute("DROP VIEW v_timeline")
    wh.migrate(con)  # one missing: all re-created
    assert "v_timeline" in view_names(con) and con.execute("SELECT count(*) FROM v_runs").fetchall() == [(0,)]
    con.execute("CREATE OR REPLACE VIEW v_runs AS SELECT 1 AS x")
    monkeypatch.setattr(wh, "views_hash", lambda paths: "edited")
    wh.migrate(con)  # files changed: re-created
    assert con.execute("SELECT count(*) FROM v_runs").fetchall() == [(0,)]


def test_the_stored_summary_is_what_the_live_view_computes(tmp_path):
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    wh.migrate(con)
    con.execute("INSERT INTO systems (system_id, name, aliases, curated) VALUES ('s1', 'S-400', [], true)")
    con.execute("INSERT INTO sites (site_id, name, aliases, curated) VALUES ('p1', 'Moscow', [], true)")
    con.execute("INSERT INTO articles (article_id, content_hash, source_name, text, text_format, encoding, "
                "encoding_fallback, n_chars, extractor_version, catalog_version) "
                "VALUES ('a1', 'h', 'a.txt', 'An S-400 is in Moscow.', 'text', 'utf-8', false, 22, 'e', 'c')")
    con.execute("INSERT INTO claims (claim_id, article_id, sentence_idx, char_start, char_end, claim_type, certainty, "
                "event_date_precision, confidence) VALUES ('c1', 'a1', 0, 0, 22, 'deployment', 'asserted', 'unknown', 0.9)")
    con.execute("INSERT INTO deployments VALUES ('c1', 'a1', 's1', 'p1', 'at')")
    assert con.execute("SELECT count(*) FROM v_deployment_summary").fetchall() == [(0,)]  # not refreshed yet
    wh.refresh_deployment_summary(con)
    live = con.execute("SELECT * FROM v_deployment_summary_live").fetchall()
    assert len(live) == 1 and con.execute("SELECT * FROM v_deployment_summary").fetchall() == live


def _hold_open(path, seconds: float) -> subprocess.Popen:
    """Another process that holds a read-only connection for a while (DuckDB locks files per process)."""
    script = f"import duckdb, sys, time; c = duckdb.connect({str(path)!r}, read_only=True); print('open', flush=True); time.sleep({seconds})"
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    return holder


def test_the_load_waits_for_a_reader_in_another_process_then_gives_up_with_one_line(tmp_path):
    path = tmp_path / "wh.duckdb"
    with wh.read_write(path):
        pass
    holder = _hold_open(path, 1.0)
    with wh.read_write(path, wait_seconds=30) as con:  # waits out the reader
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(0,)]
    holder.wait()
    holder = _hold_open(path, 30.0)
    try:
        with pytest.raises(wh.WarehouseBusy, match=r"still in use by another process after 0 s$"):
            with wh.read_write(path, wait_seconds=0.5):
                pass
    finally:
        holder.kill()
