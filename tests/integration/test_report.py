"""`flakturm report`: one offline HTML file where hostile article text stays text, checked in headless
Chromium (installed by tests/integration/chromium.py when missing)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.report import script_json
from tests.conftest import SEEDS, run_cli
from tests.integration.chromium import render

HOSTILE = """Pantsir spotted on a Moscow rooftop <script>window.__pwned=1</script>

A Pantsir-S1 air defence system has been placed on the roof of a building in Moscow, the Daily Mail \
reported <script>window.__pwned=1</script> on Monday.

Residents shared photos <img src=x onerror=alert(1)> of the launcher on social media.
"""
# Loaded first in a probe copy of the report: records whether anything injected ever ran.
PROBE = (
    "<script>window.alert = () => { document.documentElement.dataset.alerted = '1'; };"
    "window.addEventListener('load', () => { document.documentElement.dataset.pwned = String(window.__pwned); });"
    "</script>"
)


@pytest.fixture(scope="module")
def report(prefect_api, tmp_path_factory) -> tuple[Path, Path]:
    """The seeds plus one hostile article, ingested; returns (warehouse, report.html)."""
    root = tmp_path_factory.mktemp("report")
    corpus = root / "articles"
    shutil.copytree(SEEDS, corpus)
    (corpus / "900_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    warehouse = root / "wh" / "flakturm.duckdb"
    ingested = run_cli("ingest", str(corpus), "--warehouse", str(warehouse))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    out = root / "out" / "report.html"
    written = run_cli("report", "--warehouse", str(warehouse), "--out", str(out))
    assert written.returncode == 0, written.stderr
    return warehouse, out


def test_hostile_text_is_stored_and_escaped_in_the_report(report):
    warehouse, out = report
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        stored = con.execute("SELECT count(*) FROM v_claims WHERE sentence LIKE '%<script>window.__pwned%'").fetchall()
    finally:
        con.close()
    assert stored[0][0] >= 1, "the hostile sentence must reach the warehouse, else this test proves nothing"
    page = out.read_text(encoding="utf-8")
    assert "<script>window" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_report_is_self_contained(report):
    page = report[1].read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:|//)""", page, re.I)
    assert "url(" not in page and "@import" not in page
    assert page.count("<script>") == 1, "exactly one executable script: the report's own"
    for section in ("map", "timeline", "deployments", "provenance"):
        assert f'id="{section}"' in page
    # every deployment row links to at least one sentence that exists on the page
    for row in re.findall(r'<tr id="dep-[^"]*".*?</tr>', page):
        targets = re.findall(r'href="#(claim-[^"]+)"', row)
        assert targets and all(f'id="{t}"' in page for t in targets)


def test_json_in_a_script_element_cannot_close_it():
    text = script_json({"name": "</script><script>alert(1)</script><!--", "and": "&"})
    assert not set("<>&") & set(text)
    assert json.loads(text)["name"].startswith("</script>")


def test_report_renders_in_chromium_without_console_errors(report):
    rendered = render(report[1])
    assert rendered.console == []
    assert 'data-ready="1"' in rendered.dom, "the report's script did not run to the end"
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in rendered.dom


def test_injected_markup_never_runs_even_without_the_csp(report, tmp_path):
    """Escaping alone must hold: a copy without the Content-Security-Policy, with a probe loaded first."""
    page = report[1].read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    rendered = render(probe)
    assert 'data-pwned="undefined"' in rendered.dom
    assert "data-alerted" not in rendered.dom
