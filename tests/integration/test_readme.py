"""The README is the quick-start and the analyst's guide: both stay true."""

import pytest

from flows.analyst_queries import answers
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.usefixtures("prefect_api")
README = ROOT / "README.md"


def test_readme_opens_with_the_two_commands():
    block = README.read_text(encoding="utf-8").split("```")[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines()[1:] if line.strip()]
    assert commands == ["make run", "make test"]


def test_every_analyst_question_shows_its_real_answer(corpus, warehouse):
    assert run_cli("ingest", str(corpus), "--warehouse", str(warehouse)).returncode == 0
    found = answers(README.read_text(encoding="utf-8"), warehouse)
    assert len(found) >= 10
    for sql, documented, real in found:
        assert documented == real, f"README answer is stale for:\n{sql}\n--- README\n{documented}\n--- real\n{real}"
