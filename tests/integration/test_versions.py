"""Versioned extraction: catalog, extractor or parser changes re-extract without --full-refresh."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import ROOT
from tests.helpers import ingest, rows, scalar

pytestmark = pytest.mark.usefixtures("prefect_api")


def test_catalog_edit_reextracts_from_stored_text(corpus, warehouse, tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "seeds" / "reference", reference)
    monkeypatch.setenv("FLAKTURM_REFERENCE", str(reference))
    ingest([corpus], warehouse)
    assert scalar(warehouse, "SELECT count(*) FROM v_mentions WHERE surface = 'Rossiya 24'") == 1
    actors = (reference / "actors.csv").read_text(encoding="utf-8")
    (reference / "actors.csv").write_text(actors.replace("Rossiya 24,", "Rossiya 24 TV,", 1), encoding="utf-8")
    summary = ingest([corpus], warehouse)
    assert summary.n_reextracted == 5 and summary.reextract_reason == "catalog changed"
    assert (summary.n_new, summary.n_changed) == (0, 0)
    versions = rows(warehouse, "SELECT DISTINCT catalog_version FROM articles")
    assert len(versions) == 1
    again = ingest([corpus], warehouse)
    assert again.n_reextracted == 0


def test_extractor_change_reextracts(corpus, warehouse, monkeypatch):
    ingest([corpus], warehouse)
    from flows import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "extractor_version", lambda: "a-newer-extractor")
    summary = ingest([corpus], warehouse)
    assert summary.n_reextracted == 5 and summary.reextract_reason == "extractor changed"
    assert scalar(warehouse, "SELECT DISTINCT extractor_version FROM articles") == "a-newer-extractor"


def test_parser_change_reparses_unchanged_files(corpus, warehouse, monkeypatch):
    ingest([corpus], warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE meta SET value = 'an-older-parser' WHERE key = 'parser_version'")
    con.close()
    from flows import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "extractor_version", lambda: "a-newer-extractor")
    summary = ingest([corpus], warehouse)
    assert summary.n_reextracted == 5 and summary.reextract_reason == "extractor changed and parser changed"
    assert scalar(warehouse, "SELECT count(*) FROM v_articles") == 5
    assert ingest([corpus], warehouse).n_reextracted == 0
