"""`flakturm check`: the seed warehouse passes every audit and suite; a copy corrupted with direct SQL
fails, naming each broken rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from flows.quality import audits, violations
from flows.warehouse import read_only
from tests.conftest import SEEDS, run_cli
from tests.helpers import rows


@pytest.fixture(scope="module")
def clean_warehouse(prefect_api, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("check")
    shutil.copytree(SEEDS, root / "articles")
    warehouse = root / "wh" / "flakturm.duckdb"
    result = run_cli("ingest", str(root / "articles"), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


def corrupted_copy(clean: Path, folder: Path, statements: list[str]) -> Path:
    """A copy of the clean warehouse with the statements applied to it."""
    copy = folder / "wh" / clean.name
    copy.parent.mkdir(parents=True)
    shutil.copy(clean, copy)
    con = duckdb.connect(str(copy))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
    return copy


def test_clean_warehouse_passes_and_writes_data_docs(clean_warehouse):
    result = run_cli("check", "--warehouse", str(clean_warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAILED" not in result.stdout
    for audit in audits():
        assert audit.name in result.stdout
    docs = clean_warehouse.parent / "data_docs" / "index.html"
    assert "expect_column_values_to_be_unique" in docs.read_text(encoding="utf-8")


@pytest.mark.parametrize("audit", audits(), ids=lambda audit: audit.name)
def test_audit_finds_nothing_in_the_clean_warehouse(clean_warehouse, audit):
    with read_only(clean_warehouse) as con:
        assert violations(con, audit, limit=5) == []


def test_corrupted_warehouse_fails_naming_each_rule(clean_warehouse, tmp_path):
    with_quotes = rows(clean_warehouse, "SELECT DISTINCT article_id FROM quotes JOIN claims USING (article_id) ORDER BY 1")
    victim = with_quotes[0][0]  # deleted: its mentions, claims and quotes stay behind as orphans
    keeper = rows(clean_warehouse, "SELECT min(article_id) FROM articles WHERE article_id <> ?", [victim])[0][0]
    corrupt = corrupted_copy(clean_warehouse, tmp_path, [
        f"UPDATE mentions SET char_start = char_start + 1, char_end = char_end + 1 WHERE mention_id = "
        f"(SELECT min(mention_id) FROM mentions WHERE article_id = '{keeper}')",
        f"DELETE FROM articles WHERE article_id = '{victim}'",
        "UPDATE sites SET lat = 200 WHERE site_id = (SELECT min(site_id) FROM sites WHERE lat IS NOT NULL)",
        f"INSERT INTO articles SELECT * FROM articles WHERE article_id = '{keeper}'",
        "UPDATE sites SET aliases = list_append(aliases, 'Flak Tower No. 7') "
        "WHERE site_id IN (SELECT site_id FROM sites ORDER BY site_id LIMIT 2)",
    ])
    result = run_cli("check", "--warehouse", str(corrupt))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and "check(s) failed" in result.stderr
    for rule in (
        "mentions__offset_matches_surface", "mentions__orphan", "claims__orphan", "quotes__orphan",
        "sites__coordinates_in_range", "articles__duplicate_article_id", "articles__duplicate_content_hash",
        "sites__alias_claimed_twice",
        # the load-time suites, re-run on the stored tables, see the same damage
        "sites.lat:expect_column_values_to_be_between", "articles.article_id:expect_column_values_to_be_unique",
        "mentions.offset_matches:expect_column_values_to_be_in_set",
    ):
        assert f"FAILED {rule} " in result.stdout, rule
    assert "FAILED systems__alias_claimed_twice" not in result.stdout


def test_a_warning_is_reported_but_does_not_fail(clean_warehouse, tmp_path):
    stale = corrupted_copy(clean_warehouse, tmp_path, [
        "INSERT INTO runs (run_id, started_at_utc, status) VALUES ('run-20200101T000000-dead', '2020-01-01', 'running')",
    ])
    result = run_cli("check", "--warehouse", str(stale))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING runs__stale_running " in result.stdout
