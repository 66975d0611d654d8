"""The real ingest flow (Prefect, Great Expectations, DuckDB) on small real inputs."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import SEEDS, run_cli
from tests.helpers import dump, ingest, rows, scalar

pytestmark = pytest.mark.usefixtures("prefect_api")


def test_seeds_load_with_offsets_that_give_their_surface(corpus, warehouse):
    summary = ingest([corpus], warehouse)
    assert summary.status == "completed" and summary.n_new == 5 and summary.n_rejected == 0
    assert scalar(warehouse, "SELECT count(*) FROM v_articles") == 5
    texts = dict(rows(warehouse, "SELECT article_id, text FROM v_articles"))
    for table, column in (("v_mentions", "surface"), ("v_quotes", "quote")):
        for article_id, start, end, surface in rows(warehouse, f"SELECT article_id, char_start, char_end, {column} FROM {table}"):
            assert texts[article_id][start:end] == surface
    for claim_id, sentence, article_id, start, end in rows(
        warehouse, "SELECT claim_id, sentence, article_id, char_start, char_end FROM v_claims"
    ):
        assert texts[article_id][start:end] == sentence
    assert scalar(warehouse, "SELECT count(*) FROM runs WHERE status = 'completed'") == 1


def test_rerun_changes_nothing(corpus, warehouse):
    ingest([corpus], warehouse)
    before = dump(warehouse)
    summary = ingest([corpus], warehouse)
    assert (summary.n_new, summary.n_changed, summary.n_unchanged, summary.n_articles_loaded) == (0, 0, 5, 0)
    assert dump(warehouse) == before


def test_edit_replaces_exactly_that_articles_rows(corpus, warehouse):
    ingest([corpus], warehouse)
    before = dump(warehouse)
    target = next(corpus.glob("002_*.txt"))
    old_id = scalar(warehouse, "SELECT article_id FROM source_files WHERE source_name = ?", [target.name])
    target.write_text(target.read_text(encoding="utf-8") + "\nAn S-400 was also seen near Vnukovo airport.\n", encoding="utf-8")
    summary = ingest([corpus], warehouse)
    assert (summary.n_changed, summary.n_unchanged) == (1, 4)
    after = dump(warehouse)
    new_id = scalar(warehouse, "SELECT article_id FROM source_files WHERE source_name = ?", [target.name])
    assert new_id != old_id
    for table in ("mentions", "claims", "quotes", "sentences"):
        untouched_before = [r for r in before[table] if old_id not in r]
        untouched_after = [r for r in after[table] if new_id not in r]
        assert untouched_before == untouched_after
        assert not [r for r in after[table] if old_id in r]
    assert scalar(warehouse, "SELECT count(*) FROM v_articles WHERE article_id = ? AND text LIKE '%near Vnukovo airport.'", [new_id]) == 1
    assert scalar(warehouse, "SELECT count(*) FROM v_mentions WHERE article_id = ?", [new_id]) > 0


def test_identical_content_under_a_second_name_is_one_article(corpus, warehouse):
    original = next(corpus.glob("000_*.txt"))
    shutil.copy(original, corpus / "copy-of-000.txt")
    summary = ingest([corpus], warehouse)
    assert summary.n_duplicates == 1
    assert scalar(warehouse, "SELECT count(*) FROM v_articles") == 5
    names = rows(warehouse, "SELECT source_name FROM source_files WHERE article_id = (SELECT article_id FROM source_files WHERE source_name = ?) ORDER BY 1", [original.name])
    assert [n for (n,) in names] == sorted([original.name, "copy-of-000.txt"])


def test_removed_file_is_flagged_then_pruned_on_request(corpus, warehouse):
    ingest([corpus], warehouse)
    gone = next(corpus.glob("004_*.txt"))
    gone.unlink()
    summary = ingest([corpus], warehouse)
    assert summary.n_missing == 1
    assert scalar(warehouse, "SELECT count(*) FROM v_articles WHERE is_missing") == 1
    assert scalar(warehouse, "SELECT count(*) FROM v_articles") == 5
    summary = ingest([corpus], warehouse, prune=True)
    assert summary.n_pruned == 1
    assert scalar(warehouse, "SELECT count(*) FROM v_articles") == 4
    assert scalar(warehouse, "SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT article_id FROM articles)") == 0


def test_full_refresh_rebuilds_the_same_tables(corpus, warehouse, tmp_path):
    ingest([corpus], warehouse)
    fresh = tmp_path / "fresh.duckdb"
    ingest([corpus], fresh)
    summary = ingest([corpus], warehouse, full_refresh=True)
    assert summary.n_new == 5
    assert dump(warehouse) == dump(fresh)
    assert scalar(warehouse, "SELECT count(*) FROM runs") == 2  # history carried over


def test_bad_inputs_are_recorded_and_never_stop_good_files(corpus, warehouse):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_bytes(b"   \n\n  ")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "huge.txt").write_bytes(b"Pantsir. " * 1000)
    (corpus / "folder.md").mkdir()
    os.symlink(corpus / "nowhere.txt", corpus / "dangling.txt")
    (corpus / "latin.txt").write_bytes("Caf\xe9 talk: a Pantsir was seen in Moscow on Thursday.".encode("cp1252"))
    result = run_cli("ingest", str(corpus), "--warehouse", str(warehouse), "--max-bytes", "8000")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    reasons = dict(rows(warehouse, "SELECT source_name, reason FROM rejects"))
    assert reasons == {"empty.txt": "empty", "blank.txt": "empty", "binary.txt": "binary", "huge.txt": "too_large",
                       "folder.md": "not_a_file", "dangling.txt": "dangling_link"}
    assert scalar(warehouse, "SELECT count(*) FROM v_articles") == 6
    assert scalar(warehouse, "SELECT encoding_fallback FROM v_articles WHERE source_name = 'latin.txt'") is True
    again = run_cli("ingest", str(corpus), "--warehouse", str(warehouse), "--max-bytes", "8000")
    assert again.returncode == 0 and scalar(warehouse, "SELECT count(*) FROM rejects") == 6  # not recorded twice


def test_query_is_read_only_and_errors_are_one_line(corpus, warehouse):
    ingest([corpus], warehouse)
    ok = run_cli("query", "SELECT count(*) AS n FROM v_articles", "--warehouse", str(warehouse), "--format", "csv")
    assert ok.returncode == 0 and ok.stdout.splitlines() == ["n", "5"]
    refused = run_cli("query", "DELETE FROM articles", "--warehouse", str(warehouse))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "not allowed" in refused.stderr
    assert scalar(warehouse, "SELECT count(*) FROM articles") == 5
    missing = run_cli("ingest", "no/such/folder", "--warehouse", str(warehouse))
    assert missing.returncode == 1 and missing.stderr.strip().startswith("error:") and "Traceback" not in missing.stderr
    usage = run_cli("query", "SELECT 1", "--format", "xml", "--warehouse", str(warehouse))
    assert usage.returncode == 2


def test_a_blocked_batch_leaves_core_tables_untouched(corpus, warehouse, monkeypatch):
    ingest([corpus], warehouse)
    before = dump(warehouse)
    from flows import ingest as ingest_module

    real = ingest_module.extract_articles

    def broken_offsets(articles, catalog, **kwargs):
        extracted = real(articles, catalog, **kwargs)
        mentions = extracted.tables["mentions"]
        mentions["char_start"] = [start + 1 for start in mentions["char_start"]]
        return extracted

    monkeypatch.setattr(ingest_module, "extract_articles", broken_offsets)
    (corpus / "new.txt").write_text("A Pantsir-S1 was installed on a roof in Moscow on Friday.", encoding="utf-8")
    summary = ingest([corpus], warehouse)
    assert summary.status == "blocked" and "mentions" in summary.message
    assert dump(warehouse) == before
    assert scalar(warehouse, "SELECT count(*) FROM quarantine.batches") == 1
    assert scalar(warehouse, "SELECT count(*) FROM quarantine.rows WHERE table_name = 'mentions'") > 0
    assert scalar(warehouse, "SELECT status FROM runs ORDER BY started_at_utc DESC LIMIT 1") == "blocked"


def test_a_quality_gate_process_that_dies_fails_the_run_and_loads_nothing(corpus, warehouse, monkeypatch):
    """The load writes while the gate checks and commits only on its verdict: no verdict, no commit."""
    ingest([corpus], warehouse)
    before = dump(warehouse)
    from flows import gate
    from flows import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "submit", lambda checked: gate.start_gate().submit(os._exit, 1))
    (corpus / "new.txt").write_text("A Pantsir-S1 was installed on a roof in Moscow on Friday.", encoding="utf-8")
    with pytest.raises(RuntimeError, match="quality gate's process stopped"):
        ingest([corpus], warehouse)
    assert dump(warehouse) == before
    monkeypatch.undo()
    assert ingest([corpus], warehouse).n_new == 1  # a new gate process takes over


def test_a_loaded_batch_leaves_no_rows_behind_in_memory(corpus, warehouse):
    """Each batch's extracted rows are freed once loaded, without waiting for the cycle collector (a
    Prefect future once kept them in a reference cycle: 30 MB per batch until a full collection)."""
    import gc

    from flows.stages.rows import ExtractedRows

    gc.collect()
    gc.disable()
    try:
        summary = ingest([corpus], warehouse, batch_size=2, workers=2)  # three batches, extracted in the background
        alive = sum(isinstance(o, ExtractedRows) for o in gc.get_objects())
    finally:
        gc.enable()
    assert summary.status == "completed" and summary.n_articles_loaded == 5
    assert alive == 0
